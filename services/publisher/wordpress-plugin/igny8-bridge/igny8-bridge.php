<?php
/**
 * Plugin Name:       IGNY8 Bridge
 * Description:       Connects this WordPress to IGNY8: exposes IGNY8's post meta and SEO fields to the REST API, tells IGNY8 (signed webhooks) when an IGNY8 post changes status, and shows IGNY8 the site's structure.
 * Version:           1.0.0
 * Requires at least: 5.6
 * Requires PHP:      7.4
 * Author:            IGNY8
 * License:           GPL-2.0-or-later
 * Text Domain:       igny8-bridge
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'IGNY8_BRIDGE_VERSION', '1.0.0' );
define( 'IGNY8_BRIDGE_FILE', __FILE__ );
define( 'IGNY8_BRIDGE_DIR', plugin_dir_path( __FILE__ ) );

require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-connection.php';
require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-meta.php';
require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-signer.php';
require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-delivery-queue.php';
require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-status-webhooks.php';
require_once IGNY8_BRIDGE_DIR . 'includes/class-igny8-site-metadata.php';
require_once IGNY8_BRIDGE_DIR . 'admin/class-igny8-settings-page.php';

Igny8_Meta::register_hooks();
Igny8_Status_Webhooks::register_hooks();
Igny8_Delivery_Queue::register_hooks();
Igny8_Site_Metadata::register_hooks();
Igny8_Settings_Page::register_hooks();

register_activation_hook( __FILE__, array( 'Igny8_Delivery_Queue', 'on_activation' ) );
register_deactivation_hook( __FILE__, array( 'Igny8_Delivery_Queue', 'on_deactivation' ) );
