/**
 * The HTTP face of a node: the JAX-RS application under {@code /v1} with Axon Server's paths and
 * JSON shapes, the exception mappers and the request filter ({@code RequestShapeFilter}: paths,
 * {@code Content-Type}) that turn every failure into {@code {code, message}}, and the MicroProfile
 * readiness check behind {@code /health/ready}. Resources are {@code @RequestScoped} CDI beans (so
 * that injection works on Payara Server and WildFly too) and call only {@code io.caucus.api}.
 */
package io.caucus.web;
