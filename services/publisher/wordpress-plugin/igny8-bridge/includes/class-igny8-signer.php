<?php
/**
 * Signs a webhook delivery the way IGNY8 verifies it.
 *
 * Headers: X-Igny8-Integration (integration id), X-Igny8-Delivery (delivery id, the same on
 * every retry), X-Igny8-Timestamp (Unix seconds of this attempt), X-Igny8-Signature:
 * "sha256=" + lower-case hex HMAC-SHA256(secret, delivery_id . "." . timestamp . "." . body).
 * IGNY8 refuses timestamps more than five minutes off, so every attempt is signed anew.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * HMAC-SHA256 signatures over delivery id, timestamp and body.
 */
class Igny8_Signer {

	/**
	 * The signature header value.
	 *
	 * @param string $secret      The integration's secret.
	 * @param string $delivery_id The delivery id.
	 * @param string $timestamp   Unix seconds, as sent.
	 * @param string $body        The exact body bytes.
	 * @return string
	 */
	public static function sign( $secret, $delivery_id, $timestamp, $body ) {
		return 'sha256=' . hash_hmac( 'sha256', $delivery_id . '.' . $timestamp . '.' . $body, $secret );
	}

	/**
	 * The headers of one attempt.
	 *
	 * @param array  $connection  The stored connection.
	 * @param string $delivery_id The delivery id.
	 * @param string $body        The body.
	 * @param int    $now         Unix seconds.
	 * @return array
	 */
	public static function headers( $connection, $delivery_id, $body, $now ) {
		$timestamp = (string) $now;
		return array(
			'Content-Type'        => 'application/json',
			'User-Agent'          => 'IGNY8-Bridge/' . IGNY8_BRIDGE_VERSION . '; ' . home_url( '/' ),
			'X-Igny8-Integration' => $connection['integration_id'],
			'X-Igny8-Delivery'    => $delivery_id,
			'X-Igny8-Timestamp'   => $timestamp,
			'X-Igny8-Signature'   => self::sign( $connection['secret'], $delivery_id, $timestamp, $body ),
		);
	}
}
