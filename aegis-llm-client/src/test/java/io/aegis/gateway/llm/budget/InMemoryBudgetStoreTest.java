package io.aegis.gateway.llm.budget;

/** The budget contract in memory. */
class InMemoryBudgetStoreTest extends BudgetStoreContract {

    final InMemoryBudgetStore store = new InMemoryBudgetStore();

    @Override
    BudgetStore store() {
        return store;
    }

    @Override
    String key(String name) {
        return name;
    }
}
