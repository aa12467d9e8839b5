<?php
/**
 * Removes what the plugin stored: the connection (with its secret) and pending deliveries.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'igny8_bridge_connection' );
delete_option( 'igny8_bridge_pending_deliveries' );
delete_option( 'igny8_bridge_failed_deliveries' );
wp_clear_scheduled_hook( 'igny8_bridge_retry_deliveries' );
