/**
 * The servlet adapter: {@link io.aegis.gateway.servlet.AegisFilter} runs the core pipeline for
 * every request of a Jakarta Servlet 6 application, with route policies from configuration.
 */
package io.aegis.gateway.servlet;
