/**
 * The one layering rule over every Caucus layer. It lives in the web module because only its test
 * class path holds both the web classes and the EJB module's classes.
 */
package io.caucus.architecture;
