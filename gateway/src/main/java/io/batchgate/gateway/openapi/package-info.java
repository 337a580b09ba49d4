/**
 * The API's OpenAPI description: what springdoc infers from the controllers, merged with the
 * hand-written parts in {@code openapi/batchgate-components.yaml} (bodies the controllers build as
 * maps, the bearer scheme, the problem types). {@code docs/openapi.yaml} is its generated copy.
 */
@NullMarked
package io.batchgate.gateway.openapi;

import org.jspecify.annotations.NullMarked;
