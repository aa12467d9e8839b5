<?php
/**
 * Settings → IGNY8: paste the connection key IGNY8 issued, see the connection and the
 * deliveries waiting for IGNY8, retry them now, or disconnect.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The settings page (manage_options only; every form carries a nonce).
 */
class Igny8_Settings_Page {

	const SLUG   = 'igny8-bridge';
	const NONCE  = 'igny8_bridge_settings';
	const ACTION = 'igny8_bridge_settings';

	/**
	 * Hook the menu entry and the form handler.
	 */
	public static function register_hooks() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'handle_form' ) );
	}

	/**
	 * Settings → IGNY8.
	 */
	public static function add_page() {
		add_options_page( __( 'IGNY8', 'igny8-bridge' ), __( 'IGNY8', 'igny8-bridge' ), 'manage_options', self::SLUG, array( __CLASS__, 'render' ) );
	}

	/**
	 * Save a key, disconnect, or retry now; then back to the page with a notice.
	 */
	public static function handle_form() {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You may not change the IGNY8 connection.', 'igny8-bridge' ), 403 );
		}
		check_admin_referer( self::NONCE );
		$task   = isset( $_POST['igny8_task'] ) ? sanitize_key( wp_unslash( $_POST['igny8_task'] ) ) : '';
		$notice = 'saved';
		if ( 'connect' === $task ) {
			$key    = isset( $_POST['igny8_connection_key'] ) ? sanitize_text_field( wp_unslash( $_POST['igny8_connection_key'] ) ) : '';
			$result = Igny8_Connection::save_key( $key );
			$notice = is_wp_error( $result ) ? 'bad_key' : 'connected';
			if ( ! is_wp_error( $result ) ) {
				Igny8_Delivery_Queue::run();
			}
		} elseif ( 'disconnect' === $task ) {
			Igny8_Connection::disconnect();
			$notice = 'disconnected';
		} elseif ( 'retry' === $task ) {
			Igny8_Delivery_Queue::run( PHP_INT_MAX );
			$notice = 'retried';
		}
		wp_safe_redirect( add_query_arg( array( 'page' => self::SLUG, 'igny8_notice' => $notice ), admin_url( 'options-general.php' ) ) );
		exit;
	}

	/**
	 * The message after a form.
	 *
	 * @param string $notice The notice code.
	 * @return array [ class, text ]
	 */
	private static function notice( $notice ) {
		$notices = array(
			'connected'    => array( 'success', __( 'Connected to IGNY8.', 'igny8-bridge' ) ),
			'bad_key'      => array( 'error', __( 'That is not a valid IGNY8 connection key; copy it again from IGNY8 (Integrations → Connection key).', 'igny8-bridge' ) ),
			'disconnected' => array( 'success', __( 'Disconnected from IGNY8.', 'igny8-bridge' ) ),
			'retried'      => array( 'success', __( 'Pending deliveries sent again.', 'igny8-bridge' ) ),
		);
		return $notices[ $notice ] ?? array();
	}

	/**
	 * The page.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$connection = Igny8_Connection::get();
		$pending    = Igny8_Delivery_Queue::pending();
		$failed     = Igny8_Delivery_Queue::failed();
		$notice     = isset( $_GET['igny8_notice'] ) ? self::notice( sanitize_key( wp_unslash( $_GET['igny8_notice'] ) ) ) : array(); // phpcs:ignore WordPress.Security.NonceVerification
		echo '<div class="wrap"><h1>' . esc_html__( 'IGNY8', 'igny8-bridge' ) . '</h1>';
		if ( $notice ) {
			printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( $notice[0] ), esc_html( $notice[1] ) );
		}
		if ( $connection ) {
			echo '<p>' . esc_html__( 'Connected.', 'igny8-bridge' ) . '</p><table class="form-table"><tr><th>' . esc_html__( 'Integration', 'igny8-bridge' ) . '</th><td><code>' . esc_html( $connection['integration_id'] ) . '</code></td></tr><tr><th>' . esc_html__( 'Webhook address', 'igny8-bridge' ) . '</th><td><code>' . esc_html( $connection['url'] ) . '</code></td></tr></table>';
		} else {
			echo '<p>' . esc_html__( 'Not connected. In IGNY8, open the site\'s WordPress integration, create a connection key and paste it here.', 'igny8-bridge' ) . '</p>';
		}
		self::form( 'connect', $connection ? __( 'Replace the connection key', 'igny8-bridge' ) : __( 'Connect', 'igny8-bridge' ), true );
		/* translators: 1: pending deliveries, 2: given-up deliveries. */
		echo '<h2>' . esc_html__( 'Status updates to IGNY8', 'igny8-bridge' ) . '</h2><p>' . esc_html( sprintf( __( '%1$d waiting to be delivered, %2$d given up.', 'igny8-bridge' ), count( $pending ), count( $failed ) ) ) . '</p>';
		if ( $pending ) {
			self::form( 'retry', __( 'Send now', 'igny8-bridge' ), false );
		}
		if ( $connection ) {
			self::form( 'disconnect', __( 'Disconnect', 'igny8-bridge' ), false );
		}
		echo '</div>';
	}

	/**
	 * One form posting to admin-post.php.
	 *
	 * @param string $task      connect, retry or disconnect.
	 * @param string $label     The button.
	 * @param bool   $with_key  Whether it has the key field.
	 */
	private static function form( $task, $label, $with_key ) {
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::NONCE );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '"><input type="hidden" name="igny8_task" value="' . esc_attr( $task ) . '">';
		if ( $with_key ) {
			echo '<p><label for="igny8_connection_key">' . esc_html__( 'Connection key', 'igny8-bridge' ) . '</label><br><input type="password" class="large-text code" id="igny8_connection_key" name="igny8_connection_key" autocomplete="off" required></p>';
		}
		submit_button( $label, 'connect' === $task ? 'primary' : 'secondary', 'submit', false );
		echo '</form>';
	}
}
