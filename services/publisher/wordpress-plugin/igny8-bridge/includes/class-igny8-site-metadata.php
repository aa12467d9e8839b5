<?php
/**
 * GET /wp-json/igny8/v1/site-metadata: the site's public post types and taxonomies with their
 * counts, for IGNY8 to read (users who may edit posts: IGNY8 calls it with the application
 * password it publishes with).
 *
 * @package Igny8_Bridge
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The site-metadata REST route.
 */
class Igny8_Site_Metadata {

	const REST_NAMESPACE = 'igny8/v1';

	/**
	 * Hook the route.
	 */
	public static function register_hooks() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
	}

	/**
	 * Register the route.
	 */
	public static function register_routes() {
		register_rest_route(
			self::REST_NAMESPACE,
			'/site-metadata',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'respond' ),
				'permission_callback' => array( __CLASS__, 'may_read' ),
			)
		);
	}

	/**
	 * Administrators and anyone who may edit posts.
	 *
	 * @return bool|WP_Error
	 */
	public static function may_read() {
		if ( current_user_can( 'manage_options' ) || current_user_can( 'edit_posts' ) ) {
			return true;
		}
		return new WP_Error( 'rest_forbidden', __( 'Sign in as a user who may edit posts.', 'igny8-bridge' ), array( 'status' => rest_authorization_required_code() ) );
	}

	/**
	 * The metadata.
	 *
	 * @return WP_REST_Response
	 */
	public static function respond() {
		return rest_ensure_response( self::collect() );
	}

	/**
	 * Site, post types (with counts per status) and taxonomies (with term counts).
	 *
	 * @return array
	 */
	public static function collect() {
		$post_types = array();
		foreach ( get_post_types( array( 'public' => true ), 'objects' ) as $type ) {
			if ( 'attachment' === $type->name ) {
				continue;
			}
			$counts       = (array) wp_count_posts( $type->name );
			$post_types[] = array(
				'name'         => $type->name,
				'label'        => $type->label,
				'rest_base'    => $type->rest_base ? $type->rest_base : $type->name,
				'hierarchical' => (bool) $type->hierarchical,
				'taxonomies'   => array_values( get_object_taxonomies( $type->name, 'names' ) ),
				'count'        => array_sum( array_map( 'intval', $counts ) ) - (int) ( $counts['auto-draft'] ?? 0 ),
				'counts'       => array_map( 'intval', $counts ),
			);
		}
		$taxonomies = array();
		foreach ( get_taxonomies( array( 'public' => true ), 'objects' ) as $taxonomy ) {
			$count        = wp_count_terms( array( 'taxonomy' => $taxonomy->name, 'hide_empty' => false ) );
			$taxonomies[] = array(
				'name'         => $taxonomy->name,
				'label'        => $taxonomy->label,
				'rest_base'    => $taxonomy->rest_base ? $taxonomy->rest_base : $taxonomy->name,
				'hierarchical' => (bool) $taxonomy->hierarchical,
				'post_types'   => array_values( (array) $taxonomy->object_type ),
				'count'        => is_wp_error( $count ) ? 0 : (int) $count,
			);
		}
		$connection = Igny8_Connection::get();
		return array(
			'site'           => array(
				'name'              => get_bloginfo( 'name' ),
				'url'               => home_url( '/' ),
				'wordpress_version' => get_bloginfo( 'version' ),
				'language'          => get_bloginfo( 'language' ),
				'timezone'          => wp_timezone_string(),
			),
			'plugin_version' => IGNY8_BRIDGE_VERSION,
			'connected'      => null !== $connection,
			'integration_id' => null === $connection ? null : $connection['integration_id'],
			'seo_plugins'    => array(
				'yoast'     => defined( 'WPSEO_VERSION' ),
				'rank_math' => defined( 'RANK_MATH_VERSION' ),
			),
			'post_types'     => $post_types,
			'taxonomies'     => $taxonomies,
		);
	}
}
