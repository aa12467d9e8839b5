<?php
/**
 * Webhook deliveries, kept until IGNY8 has them.
 *
 * A delivery is queued (a row of the {prefix}igny8_deliveries table: one insert, so requests
 * queueing at the same time never lose each other's) when a hook fires, and sent at the end of
 * the request. IGNY8 answering 2xx, or 409 (it already has that delivery id), ends it.
 * Anything else (IGNY8 unreachable, 5xx, a refusal) keeps it: WP-Cron retries it with
 * exponential backoff (1, 2, 4 ... minutes, at most an hour apart); after MAX_ATTEMPTS it is
 * marked failed (the settings page counts them). Each attempt is signed anew with the current
 * connection; the delivery id stays the same, so IGNY8 never applies a delivery twice. A
 * sender claims a row (moving its next attempt past the send's timeout) before sending, so
 * two cron runs never send the same delivery at once.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The queue of pending deliveries and its WP-Cron retries.
 */
class Igny8_Delivery_Queue {

	const TABLE        = 'igny8_deliveries';
	const DB_VERSION   = '1';
	const DB_OPTION    = 'igny8_bridge_db_version';
	const CRON_HOOK    = 'igny8_bridge_retry_deliveries';
	const MAX_ATTEMPTS = 12;
	const MAX_FAILED   = 50;
	const TIMEOUT      = 10;

	/**
	 * Delivery ids queued during this request (sent at shutdown).
	 *
	 * @var string[]
	 */
	private static $queued_now = array();

	/**
	 * Hook the cron run, the end-of-request send and the table check.
	 */
	public static function register_hooks() {
		add_action( self::CRON_HOOK, array( __CLASS__, 'run' ), 10, 1 );
		add_action( 'shutdown', array( __CLASS__, 'send_queued_now' ) );
		add_action( 'plugins_loaded', array( __CLASS__, 'ensure_table' ) );
	}

	/**
	 * The table's name.
	 *
	 * @return string
	 */
	public static function table() {
		global $wpdb;
		return $wpdb->prefix . self::TABLE;
	}

	/**
	 * Plugin activated: make the table; retry anything left from before.
	 */
	public static function on_activation() {
		self::ensure_table();
		if ( self::pending() ) {
			self::schedule( time() );
		}
	}

	/**
	 * Plugin deactivated: no more cron runs (deliveries stay queued).
	 */
	public static function on_deactivation() {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	/**
	 * Create (or upgrade) the table when this version has not yet.
	 */
	public static function ensure_table() {
		if ( get_option( self::DB_OPTION ) === self::DB_VERSION ) {
			return;
		}
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  delivery_id char(36) NOT NULL,
  body longtext NOT NULL,
  state varchar(10) NOT NULL DEFAULT 'pending',
  attempts int(11) NOT NULL DEFAULT 0,
  next_at bigint(20) NOT NULL,
  queued_at bigint(20) NOT NULL,
  last_error text NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY delivery_id (delivery_id),
  KEY state_next (state,next_at)
) {$charset};"
		);
		update_option( self::DB_OPTION, self::DB_VERSION );
	}

	/**
	 * Queue a delivery of $body.
	 *
	 * @param array $body The webhook body.
	 * @return string The delivery id.
	 */
	public static function enqueue( $body ) {
		global $wpdb;
		self::ensure_table();
		$id = wp_generate_uuid4();
		$wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			self::table(),
			array(
				'delivery_id' => $id,
				'body'        => wp_json_encode( $body ),
				'state'       => 'pending',
				'attempts'    => 0,
				'next_at'     => time(),
				'queued_at'   => time(),
				'last_error'  => '',
			),
			array( '%s', '%s', '%s', '%d', '%d', '%d', '%s' )
		);
		self::$queued_now[] = $id;
		return $id;
	}

	/**
	 * The pending deliveries, by delivery id, oldest first.
	 *
	 * @return array
	 */
	public static function pending() {
		return self::rows( 'pending', 1000 );
	}

	/**
	 * The most recent deliveries given up on.
	 *
	 * @return array
	 */
	public static function failed() {
		return self::rows( 'failed', self::MAX_FAILED );
	}

	/**
	 * Rows in a state, by delivery id.
	 *
	 * @param string $state pending or failed.
	 * @param int    $limit At most this many.
	 * @return array
	 */
	private static function rows( $state, $limit ) {
		global $wpdb;
		self::ensure_table();
		$table = self::table();
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT delivery_id AS id, body, attempts, next_at, queued_at, last_error FROM {$table} WHERE state = %s ORDER BY id LIMIT %d", $state, $limit ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		$by_id = array();
		foreach ( (array) $rows as $row ) {
			$row['attempts']       = (int) $row['attempts'];
			$row['next_at']        = (int) $row['next_at'];
			$row['queued_at']      = (int) $row['queued_at'];
			$by_id[ $row['id'] ] = $row;
		}
		return $by_id;
	}

	/**
	 * Send what this request queued.
	 */
	public static function send_queued_now() {
		if ( self::$queued_now ) {
			$ids              = self::$queued_now;
			self::$queued_now = array();
			self::attempt( $ids, time() );
		}
	}

	/**
	 * The cron run: send every delivery due at $now (tests pass a later time to skip the wait).
	 *
	 * @param int|null $now Unix seconds; now when empty.
	 * @return int How many are still pending.
	 */
	public static function run( $now = null ) {
		$now = empty( $now ) ? time() : (int) $now;
		$due = array();
		foreach ( self::pending() as $id => $delivery ) {
			if ( $delivery['next_at'] <= $now ) {
				$due[] = $id;
			}
		}
		self::attempt( $due, $now );
		return count( self::pending() );
	}

	/**
	 * Try to send the given deliveries; reschedule the ones that failed.
	 *
	 * @param string[] $ids Delivery ids.
	 * @param int      $now Unix seconds.
	 */
	private static function attempt( $ids, $now ) {
		global $wpdb;
		$table      = self::table();
		$connection = Igny8_Connection::get();
		foreach ( $ids as $id ) {
			$delivery = self::claim( $id );
			if ( null === $delivery ) {
				continue;
			}
			$error = null === $connection ? 'not connected to IGNY8' : self::send( $connection, $delivery, time() );
			if ( true === $error ) {
				$wpdb->delete( $table, array( 'delivery_id' => $id ), array( '%s' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				continue;
			}
			$attempts = (int) $delivery['attempts'] + 1;
			$wpdb->update( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				$table,
				array(
					'attempts'   => $attempts,
					'last_error' => substr( $error, 0, 1000 ),
					'state'      => $attempts >= self::MAX_ATTEMPTS ? 'failed' : 'pending',
					'next_at'    => $now + self::backoff( $attempts ),
				),
				array( 'delivery_id' => $id ),
				array( '%d', '%s', '%s', '%d' ),
				array( '%s' )
			);
		}
		self::prune_failed();
		self::schedule_next();
	}

	/**
	 * Take a pending delivery for sending (its next attempt moved past this send), or null
	 * when it is gone or another request took it first.
	 *
	 * @param string $id Delivery id.
	 * @return array|null
	 */
	private static function claim( $id ) {
		global $wpdb;
		$table    = self::table();
		$delivery = $wpdb->get_row( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT delivery_id AS id, body, attempts, next_at FROM {$table} WHERE delivery_id = %s AND state = 'pending'", $id ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		if ( ! $delivery ) {
			return null;
		}
		$lease   = time() + 3 * self::TIMEOUT;
		$claimed = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "UPDATE {$table} SET next_at = %d WHERE delivery_id = %s AND state = 'pending' AND next_at = %d", max( $lease, (int) $delivery['next_at'] + 1 ), $id, (int) $delivery['next_at'] ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		);
		return 1 === $claimed ? $delivery : null;
	}

	/**
	 * Seconds to wait after the given number of failed attempts: 60 * 2^(n-1), at most 3600.
	 *
	 * @param int $attempts Failed attempts so far.
	 * @return int
	 */
	public static function backoff( $attempts ) {
		return (int) min( 3600, 60 * pow( 2, max( 0, $attempts - 1 ) ) );
	}

	/**
	 * One signed POST; true when IGNY8 has the delivery, else why not.
	 *
	 * @param array $connection The connection.
	 * @param array $delivery   The delivery.
	 * @param int   $now        Unix seconds (the signed timestamp).
	 * @return true|string
	 */
	private static function send( $connection, $delivery, $now ) {
		$response = wp_remote_post(
			$connection['url'],
			array(
				'timeout'     => self::TIMEOUT,
				'redirection' => 0,
				'headers'     => Igny8_Signer::headers( $connection, $delivery['id'], $delivery['body'], $now ),
				'body'        => $delivery['body'],
			)
		);
		if ( is_wp_error( $response ) ) {
			return $response->get_error_message();
		}
		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( ( $code >= 200 && $code < 300 ) || 409 === $code ) {
			return true;
		}
		return sprintf( 'HTTP %d: %s', $code, substr( (string) wp_remote_retrieve_body( $response ), 0, 300 ) );
	}

	/**
	 * Keep only the most recent failed deliveries.
	 */
	private static function prune_failed() {
		global $wpdb;
		$table = self::table();
		$keep  = $wpdb->get_var( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare( "SELECT id FROM {$table} WHERE state = 'failed' ORDER BY id DESC LIMIT 1 OFFSET %d", self::MAX_FAILED - 1 ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		);
		if ( null !== $keep ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE state = 'failed' AND id < %d", (int) $keep ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
	}

	/**
	 * One cron event at the earliest due time of what is pending.
	 */
	private static function schedule_next() {
		global $wpdb;
		$table = self::table();
		$next  = $wpdb->get_var( "SELECT MIN(next_at) FROM {$table} WHERE state = 'pending'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		if ( null !== $next ) {
			self::schedule( (int) $next );
		}
	}

	/**
	 * Make sure a cron run happens at $when (an earlier one already scheduled also does).
	 *
	 * @param int $when Unix seconds.
	 */
	private static function schedule( $when ) {
		$scheduled = wp_next_scheduled( self::CRON_HOOK );
		if ( false !== $scheduled && $scheduled <= $when ) {
			return;
		}
		if ( false !== $scheduled ) {
			wp_clear_scheduled_hook( self::CRON_HOOK );
		}
		wp_schedule_single_event( $when, self::CRON_HOOK );
	}
}
