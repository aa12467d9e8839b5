<?php
/**
 * IGNY8's post meta and the SEO plugins' fields, readable and writable through the REST API
 * (/wp/v2/posts and every other public post type) by users who may edit the post.
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the meta with register_post_meta on every public post type.
 */
class Igny8_Meta {

	const CONTENT_ID = '_igny8_content_id';

	/**
	 * Meta key => [ type, description ].
	 *
	 * @return array
	 */
	public static function fields() {
		return array(
			'_igny8_content_id'      => array( 'string', 'IGNY8 content id' ),
			'_igny8_task_id'         => array( 'string', 'IGNY8 writer task id' ),
			'_igny8_cluster_id'      => array( 'string', 'IGNY8 keyword cluster id' ),
			'_igny8_sector_id'       => array( 'string', 'IGNY8 sector id' ),
			'_igny8_keyword_ids'     => array( 'array', 'IGNY8 keyword ids' ),
			'_yoast_wpseo_title'     => array( 'string', 'Yoast SEO title' ),
			'_yoast_wpseo_metadesc'  => array( 'string', 'Yoast SEO meta description' ),
			'_yoast_wpseo_focuskw'   => array( 'string', 'Yoast SEO focus keyphrase' ),
			'rank_math_title'        => array( 'string', 'Rank Math SEO title' ),
			'rank_math_description'  => array( 'string', 'Rank Math meta description' ),
			'rank_math_focus_keyword' => array( 'string', 'Rank Math focus keyword' ),
		);
	}

	/**
	 * Hook the registration (after every post type is registered).
	 */
	public static function register_hooks() {
		add_action( 'init', array( __CLASS__, 'register' ), 100 );
	}

	/**
	 * The public post types, attachments left out.
	 *
	 * @return string[]
	 */
	public static function post_types() {
		$types = get_post_types( array( 'public' => true ), 'names' );
		unset( $types['attachment'] );
		return array_values( $types );
	}

	/**
	 * Register every field on every public post type.
	 */
	public static function register() {
		foreach ( self::post_types() as $post_type ) {
			foreach ( self::fields() as $key => $field ) {
				register_post_meta( $post_type, $key, self::args( $field[0], $field[1] ) );
			}
		}
	}

	/**
	 * The register_post_meta arguments of one field.
	 *
	 * @param string $type        'string' or 'array' (of strings).
	 * @param string $description What it holds.
	 * @return array
	 */
	private static function args( $type, $description ) {
		$args = array(
			'type'          => $type,
			'description'   => $description,
			'single'        => true,
			'auth_callback' => array( __CLASS__, 'may_edit' ),
		);
		if ( 'array' === $type ) {
			$args['default']      = array();
			$args['show_in_rest'] = array(
				'schema' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
			);
			$args['sanitize_callback'] = array( __CLASS__, 'sanitize_ids' );
		} else {
			$args['default']           = '';
			$args['show_in_rest']      = true;
			$args['sanitize_callback'] = 'sanitize_text_field';
		}
		return $args;
	}

	/**
	 * Protected (underscore) meta is only for users who may edit the post.
	 *
	 * @param bool   $allowed   Whether allowed so far.
	 * @param string $meta_key  The meta key.
	 * @param int    $object_id The post id.
	 * @param int    $user_id   The user.
	 * @return bool
	 */
	public static function may_edit( $allowed, $meta_key, $object_id, $user_id = 0 ) {
		return $user_id ? user_can( $user_id, 'edit_post', $object_id ) : current_user_can( 'edit_post', $object_id );
	}

	/**
	 * A list of ids, each sanitized; anything else becomes an empty list.
	 *
	 * @param mixed $value The value.
	 * @return string[]
	 */
	public static function sanitize_ids( $value ) {
		if ( ! is_array( $value ) ) {
			return array();
		}
		return array_values( array_filter( array_map( 'sanitize_text_field', array_map( 'strval', $value ) ), 'strlen' ) );
	}
}
