/**
 * The fault suite on real nodes: a workload of clients appending with sequence checks, a nemesis
 * that kills and pauses Payara Micro processes under that load, a history of every call, and a
 * checker that reads the history against what every storing member holds afterwards.
 *
 * <p>The checker is pure (a history and the members' events in, violations out) and has its own
 * tests that feed it each kind of violation; the suite itself lives in {@code FaultSuiteTest}.
 * Results and the commands that reproduce them are in {@code RELIABILITY.md}.
 */
package io.caucus.arquillian.fault;
