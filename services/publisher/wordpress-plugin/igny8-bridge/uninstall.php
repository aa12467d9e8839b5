<?php
/**
 * Removes what the plugin stored: the connection (with its secret) and the delivery queue.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

global $wpdb;
$igny8_table = $wpdb->prefix . 'igny8_deliveries';
$wpdb->query( "DROP TABLE IF EXISTS {$igny8_table}" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQL.InterpolatedNotPrepared
delete_option( 'igny8_bridge_connection' );
delete_option( 'igny8_bridge_db_version' );
wp_clear_scheduled_hook( 'igny8_bridge_retry_deliveries' );
