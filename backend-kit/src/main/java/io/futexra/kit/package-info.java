/**
 * The backend kit: what every backend shares rather than copies, and no application needs: the
 * rules for names ({@link io.futexra.kit.NameRules}) and a dispatcher's leader/followers loop
 * ({@link io.futexra.kit.LeaderFollowers}). Backends depend on it; the API does not.
 */
package io.futexra.kit;
