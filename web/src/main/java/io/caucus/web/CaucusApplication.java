package io.caucus.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API under {@code /v1}, as Axon Server has it. */
@ApplicationPath("/v1")
public class CaucusApplication extends Application {}
