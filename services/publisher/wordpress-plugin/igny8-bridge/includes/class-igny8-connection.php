<?php
/**
 * The connection to IGNY8, from the connection key pasted on Settings → IGNY8.
 *
 * A connection key is "igny8_ck_" followed by URL-safe base64 (without padding) of a JSON
 * document {"v":1,"url":"<IGNY8 webhook URL>","integration_id":"<uuid>","secret":"<secret>"}.
 * IGNY8 shows it once (POST /api/v1/integration/integrations/{id}/connection-key/); issuing a
 * new one replaces the secret, so the old key stops working.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Reads, validates and stores the connection (option igny8_bridge_connection, not autoloaded).
 */
class Igny8_Connection {

	const OPTION = 'igny8_bridge_connection';
	const PREFIX = 'igny8_ck_';

	/**
	 * The parts of a connection key, or a WP_Error saying why it is not one.
	 *
	 * @param string $key The pasted key.
	 * @return array|WP_Error { url, integration_id, secret }
	 */
	public static function parse_key( $key ) {
		$key = trim( (string) $key );
		if ( 0 !== strpos( $key, self::PREFIX ) ) {
			return new WP_Error( 'igny8_bad_key', __( 'This is not an IGNY8 connection key (it starts with igny8_ck_).', 'igny8-bridge' ) );
		}
		$encoded = strtr( substr( $key, strlen( self::PREFIX ) ), '-_', '+/' );
		$padding = strlen( $encoded ) % 4;
		if ( $padding ) {
			$encoded .= str_repeat( '=', 4 - $padding );
		}
		$json     = base64_decode( $encoded, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		$document = false === $json ? null : json_decode( $json, true );
		if ( ! is_array( $document ) || ! isset( $document['url'], $document['integration_id'], $document['secret'] ) ) {
			return new WP_Error( 'igny8_bad_key', __( 'The connection key is damaged; copy it again from IGNY8.', 'igny8-bridge' ) );
		}
		$url = esc_url_raw( (string) $document['url'], array( 'http', 'https' ) );
		if ( '' === $url || ( ! wp_http_validate_url( $url ) && ! self::is_local_url( $url ) ) ) {
			return new WP_Error( 'igny8_bad_key', __( 'The connection key does not carry a usable IGNY8 address.', 'igny8-bridge' ) );
		}
		if ( ! wp_is_uuid( (string) $document['integration_id'] ) || strlen( (string) $document['secret'] ) < 16 ) {
			return new WP_Error( 'igny8_bad_key', __( 'The connection key is damaged; copy it again from IGNY8.', 'igny8-bridge' ) );
		}
		return array(
			'url'            => $url,
			'integration_id' => strtolower( (string) $document['integration_id'] ),
			'secret'         => (string) $document['secret'],
		);
	}

	/**
	 * Loopback addresses fail wp_http_validate_url but are fine for a local IGNY8.
	 *
	 * @param string $url The URL.
	 * @return bool
	 */
	private static function is_local_url( $url ) {
		$host = wp_parse_url( $url, PHP_URL_HOST );
		return in_array( $host, array( '127.0.0.1', 'localhost', '::1', '[::1]' ), true );
	}

	/**
	 * Store the connection a key describes.
	 *
	 * @param string $key The pasted key.
	 * @return true|WP_Error
	 */
	public static function save_key( $key ) {
		$parts = self::parse_key( $key );
		if ( is_wp_error( $parts ) ) {
			return $parts;
		}
		$parts['connected_at'] = time();
		update_option( self::OPTION, $parts, false );
		return true;
	}

	/**
	 * The stored connection, or null when the site is not connected.
	 *
	 * @return array|null { url, integration_id, secret, connected_at }
	 */
	public static function get() {
		$stored = get_option( self::OPTION );
		if ( ! is_array( $stored ) || empty( $stored['url'] ) || empty( $stored['secret'] ) || empty( $stored['integration_id'] ) ) {
			return null;
		}
		return $stored;
	}

	/**
	 * Forget the connection (pending deliveries stay until it is connected again).
	 */
	public static function disconnect() {
		delete_option( self::OPTION );
	}
}
