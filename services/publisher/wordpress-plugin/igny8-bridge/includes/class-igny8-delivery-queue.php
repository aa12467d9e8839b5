<?php
/**
 * Webhook deliveries, kept until IGNY8 has them.
 *
 * A delivery is queued (option igny8_bridge_pending_deliveries) when a hook fires, and sent at
 * the end of the request. IGNY8 answering 2xx, or 409 (it already has that delivery id),
 * ends it. Anything else (IGNY8 unreachable, 5xx, a refusal) keeps it: WP-Cron retries it
 * with exponential backoff (1, 2, 4 ... minutes, at most an hour apart); after MAX_ATTEMPTS
 * it moves to igny8_bridge_failed_deliveries (shown on the settings page). Each attempt is
 * signed anew with the current connection; the delivery id stays the same, so IGNY8 never
 * applies a delivery twice.
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

	const PENDING      = 'igny8_bridge_pending_deliveries';
	const FAILED       = 'igny8_bridge_failed_deliveries';
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
	 * Hook the cron run and the end-of-request send.
	 */
	public static function register_hooks() {
		add_action( self::CRON_HOOK, array( __CLASS__, 'run' ), 10, 1 );
		add_action( 'shutdown', array( __CLASS__, 'send_queued_now' ) );
	}

	/**
	 * Plugin activated: retry anything left from before.
	 */
	public static function on_activation() {
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
	 * Queue a delivery of $body.
	 *
	 * @param array $body The webhook body.
	 * @return string The delivery id.
	 */
	public static function enqueue( $body ) {
		$id               = wp_generate_uuid4();
		$pending          = self::pending();
		$pending[ $id ]   = array(
			'id'          => $id,
			'body'        => wp_json_encode( $body ),
			'attempts'    => 0,
			'next_at'     => time(),
			'queued_at'   => time(),
			'last_error'  => '',
		);
		self::save( $pending );
		self::$queued_now[] = $id;
		return $id;
	}

	/**
	 * The pending deliveries, by id.
	 *
	 * @return array
	 */
	public static function pending() {
		$pending = get_option( self::PENDING, array() );
		return is_array( $pending ) ? $pending : array();
	}

	/**
	 * Deliveries given up on (most recent last).
	 *
	 * @return array
	 */
	public static function failed() {
		$failed = get_option( self::FAILED, array() );
		return is_array( $failed ) ? $failed : array();
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
	 * @param int|null $now Unix seconds; now when null.
	 * @return int How many are still pending.
	 */
	public static function run( $now = null ) {
		$now = empty( $now ) ? time() : (int) $now;
		$due = array();
		foreach ( self::pending() as $id => $delivery ) {
			if ( (int) $delivery['next_at'] <= $now ) {
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
		$connection = Igny8_Connection::get();
		foreach ( $ids as $id ) {
			$pending = self::pending();
			if ( ! isset( $pending[ $id ] ) ) {
				continue;
			}
			$delivery = $pending[ $id ];
			$error    = null === $connection ? 'not connected to IGNY8' : self::send( $connection, $delivery, time() );
			$pending  = self::pending();
			if ( true === $error ) {
				unset( $pending[ $id ] );
				self::save( $pending );
				continue;
			}
			$delivery['attempts']  += 1;
			$delivery['last_error'] = $error;
			if ( $delivery['attempts'] >= self::MAX_ATTEMPTS ) {
				unset( $pending[ $id ] );
				self::give_up( $delivery );
			} else {
				$delivery['next_at'] = $now + self::backoff( $delivery['attempts'] );
				$pending[ $id ]      = $delivery;
			}
			self::save( $pending );
		}
		self::schedule_next();
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
	 * Keep a given-up delivery where the settings page shows it.
	 *
	 * @param array $delivery The delivery.
	 */
	private static function give_up( $delivery ) {
		$failed   = self::failed();
		$failed[] = $delivery;
		update_option( self::FAILED, array_slice( $failed, -self::MAX_FAILED ), false );
	}

	/**
	 * Store the pending deliveries.
	 *
	 * @param array $pending By id.
	 */
	private static function save( $pending ) {
		update_option( self::PENDING, $pending, false );
	}

	/**
	 * One cron event at the earliest due time of what is pending.
	 */
	private static function schedule_next() {
		$next = null;
		foreach ( self::pending() as $delivery ) {
			$next = null === $next ? (int) $delivery['next_at'] : min( $next, (int) $delivery['next_at'] );
		}
		if ( null !== $next ) {
			self::schedule( $next );
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
