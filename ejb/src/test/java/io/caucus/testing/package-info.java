/** Helpers shared by the ejb module's tests (fixtures on disk); no production code uses them. */
package io.caucus.testing;
