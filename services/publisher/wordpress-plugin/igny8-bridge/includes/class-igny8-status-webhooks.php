<?php
/**
 * Tells IGNY8 when one of its posts (one carrying _igny8_content_id) changes status, is
 * trashed (status "trash") or deleted for good (status "deleted").
 *
 * Body (JSON): event ("post.status_changed" or "post.deleted"), post_id, content_id, status,
 * previous_status, post_type, url, occurred_at (ISO 8601, UTC), occurred_at_us (Unix
 * microseconds: IGNY8 ignores a retried delivery older than a change it already has for the
 * post), site_url.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The post hooks that queue webhook deliveries.
 */
class Igny8_Status_Webhooks {

	/**
	 * Statuses that are not a change IGNY8 cares about.
	 *
	 * @var string[]
	 */
	const IGNORED_STATUSES = array( 'auto-draft', 'inherit', 'new' );

	/**
	 * Hook post status transitions and deletions.
	 */
	public static function register_hooks() {
		add_action( 'transition_post_status', array( __CLASS__, 'on_transition' ), 10, 3 );
		add_action( 'before_delete_post', array( __CLASS__, 'on_delete' ), 10, 1 );
	}

	/**
	 * A status change of an IGNY8 post.
	 *
	 * @param string  $new_status The new status.
	 * @param string  $old_status The old status.
	 * @param WP_Post $post       The post.
	 */
	public static function on_transition( $new_status, $old_status, $post ) {
		if ( $new_status === $old_status || in_array( $new_status, self::IGNORED_STATUSES, true ) ) {
			return;
		}
		$content_id = self::content_id( $post );
		if ( '' === $content_id ) {
			return;
		}
		Igny8_Delivery_Queue::enqueue( self::body( 'post.status_changed', $post, $content_id, $new_status, $old_status ) );
	}

	/**
	 * An IGNY8 post deleted for good (its meta is still there at this point).
	 *
	 * @param int $post_id The post id.
	 */
	public static function on_delete( $post_id ) {
		$post = get_post( $post_id );
		if ( ! $post instanceof WP_Post || 'revision' === $post->post_type ) {
			return;
		}
		$content_id = self::content_id( $post );
		if ( '' === $content_id ) {
			return;
		}
		Igny8_Delivery_Queue::enqueue( self::body( 'post.deleted', $post, $content_id, 'deleted', $post->post_status ) );
	}

	/**
	 * The post's IGNY8 content id ('' when IGNY8 does not manage it).
	 *
	 * @param WP_Post $post The post.
	 * @return string
	 */
	private static function content_id( $post ) {
		if ( ! $post instanceof WP_Post || 'revision' === $post->post_type ) {
			return '';
		}
		return trim( (string) get_post_meta( $post->ID, Igny8_Meta::CONTENT_ID, true ) );
	}

	/**
	 * The webhook body.
	 *
	 * @param string  $event      post.status_changed or post.deleted.
	 * @param WP_Post $post       The post.
	 * @param string  $content_id Its IGNY8 content id.
	 * @param string  $status     The new status.
	 * @param string  $previous   The status before.
	 * @return array
	 */
	private static function body( $event, $post, $content_id, $status, $previous ) {
		return array(
			'event'           => $event,
			'post_id'         => (int) $post->ID,
			'content_id'      => $content_id,
			'status'          => $status,
			'previous_status' => (string) $previous,
			'post_type'       => $post->post_type,
			'url'             => 'deleted' === $status ? null : get_permalink( $post ),
			'occurred_at'     => gmdate( 'c' ),
			'occurred_at_us'  => (int) floor( microtime( true ) * 1000000 ),
			'site_url'        => home_url( '/' ),
		);
	}
}
