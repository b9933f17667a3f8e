/**
 * Spending budgets per tenant or API key, daily and monthly: reserve the worst case before a call,
 * settle with the actual cost after, refund on failure. {@link io.aegis.gateway.llm.budget.InMemoryBudgetStore}
 * holds them in the process; {@link io.aegis.gateway.llm.budget.RedisBudgetStore} shares them between
 * replicas with atomic Lua scripts.
 */
package io.aegis.gateway.llm.budget;
