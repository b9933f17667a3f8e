/**
 * The {@code aegis-mesh} command line: {@code generate}, {@code canary}, {@code rollback},
 * {@code validate}, {@code serve-ext-authz}. Exit codes are in {@link io.aegis.gateway.mesh.cli.AegisMesh}.
 */
package io.aegis.gateway.mesh.cli;
