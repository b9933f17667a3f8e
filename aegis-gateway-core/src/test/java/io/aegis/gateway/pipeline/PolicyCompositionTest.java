package io.aegis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.EventRecorder;
import io.aegis.gateway.testing.FakeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Pins the order in which the pipeline runs and completes policies (Failsafe's PolicyCompositionTest, for our stages). */
class PolicyCompositionTest {

    private final List<String> log = new ArrayList<>();

    /** A policy that logs its calls and answers with {@code decide}. */
    private final class Recording implements GatewayPolicy {
        private final String name;
        private final Stage stage;
        private final Function<Exchange, Decision> decide;

        Recording(String name, Stage stage, Function<Exchange, Decision> decide) {
            this.name = name;
            this.stage = stage;
            this.decide = decide;
        }

        @Override
        public Stage stage() {
            return stage;
        }

        @Override
        public Decision evaluate(Exchange exchange) {
            log.add("evaluate " + name);
            return decide.apply(exchange);
        }

        @Override
        public void onComplete(Exchange exchange, int status) {
            log.add("complete " + name + " " + status);
        }

        @Override
        public String name() {
            return name;
        }
    }

    private Recording proceeding(String name, Stage stage) {
        return new Recording(name, stage, e -> Decision.proceed());
    }

    private Recording rejecting(String name, Stage stage) {
        return new Recording(name, stage, e -> Decision.reject(ProblemType.FORBIDDEN, "no"));
    }

    @Test
    void policiesRunInStageOrderWhateverTheRegistrationOrderAndStablyWithinAStage() {
        Pipeline p = Pipeline.builder()
                .add(proceeding("cache", Stage.CACHE))
                .add(proceeding("limit", Stage.RATE_LIMIT))
                .add(proceeding("authz", Stage.AUTHORIZATION))
                .add(proceeding("authn-1", Stage.AUTHENTICATION))
                .add(proceeding("version", Stage.VERSION))
                .add(proceeding("waf", Stage.THREAT_INSPECTION))
                .add(proceeding("size", Stage.REQUEST_LIMITS))
                .add(proceeding("acl", Stage.ACCESS_CONTROL))
                .add(proceeding("authn-2", Stage.AUTHENTICATION))
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .build();
        assertThat(p.policies()).extracting(GatewayPolicy::name).containsExactly(
                "address", "acl", "size", "waf", "version", "authn-1", "authn-2", "authz", "limit", "cache");

        Exchange ex = new Exchange(FakeRequest.get("/"));
        assertThat(p.evaluate(ex).proceeds()).isTrue();
        p.complete(ex, 200);
        assertThat(log).containsExactly(
                "evaluate address", "evaluate acl", "evaluate size", "evaluate waf", "evaluate version",
                "evaluate authn-1", "evaluate authn-2", "evaluate authz", "evaluate limit", "evaluate cache",
                "complete cache 200", "complete limit 200", "complete authz 200", "complete authn-2 200",
                "complete authn-1 200", "complete version 200", "complete waf 200", "complete size 200",
                "complete acl 200", "complete address 200");
        assertThat(p.toString()).startsWith("Pipeline[CLIENT_ADDRESS:address, ACCESS_CONTROL:acl,");
    }

    @Test
    void evaluationStopsAtTheFirstRejectionAndOnlyThePoliciesThatRanAreCompletedInReverse() {
        EventRecorder events = new EventRecorder();
        Pipeline p = Pipeline.builder()
                .add(proceeding("limit", Stage.RATE_LIMIT))
                .add(rejecting("authz", Stage.AUTHORIZATION))
                .add(proceeding("authn", Stage.AUTHENTICATION))
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .events(new GatewayEvents().addListener(events))
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/x").remote("198.51.100.7"));
        Decision d = p.evaluate(ex);
        assertThat(d.rejects()).isTrue();
        assertThat(d.problem().status()).isEqualTo(403);
        p.complete(ex, 403);
        p.complete(ex, 500); // only the first call counts
        assertThat(log).containsExactly("evaluate address", "evaluate authn", "evaluate authz",
                "complete authz 403", "complete authn 403", "complete address 403");
        assertThat(events.all()).hasSize(1);
        GatewayEvent e = events.all().get(0);
        assertThat(e.type()).isEqualTo(GatewayEvent.REQUEST_REJECTED);
        assertThat(e.attributes()).isEqualTo(Map.of("policy", "authz", "problem", "forbidden", "status", 403,
                "client", "198.51.100.7", "method", "GET", "route", "fallback"));
    }

    @Test
    void aPreRoutingRejectionSkipsRoutingAndTheRoutedStages() {
        Pipeline p = Pipeline.builder()
                .add(proceeding("authn", Stage.AUTHENTICATION))
                .add(rejecting("acl", Stage.ACCESS_CONTROL))
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/x"));
        assertThat(p.evaluate(ex).rejects()).isTrue();
        assertThat(ex.route()).isNull();
        p.complete(ex, 403);
        assertThat(log).containsExactly("evaluate address", "evaluate acl", "complete acl 403", "complete address 403");
    }

    @Test
    void aThrowingPolicyIsAnsweredWith500AndAnIncidentIdButNoInternalDetail() {
        Pipeline p = Pipeline.builder()
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .add(new Recording("broken", Stage.AUTHENTICATION, e -> {
                    throw new IllegalStateException("secret internal state: db password=hunter2");
                }))
                .add(proceeding("authz", Stage.AUTHORIZATION))
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/"));
        Decision d = p.evaluate(ex);
        p.complete(ex, d.problem().status());

        Problem problem = d.problem();
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.type()).isEqualTo(ProblemType.INTERNAL_ERROR);
        assertThat(problem.detail()).isEqualTo("The gateway could not process the request.");
        assertThat(problem.extensions().keySet()).containsExactly("incident");
        assertThat((String) problem.extensions().get("incident")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(problem.toJson()).doesNotContain("hunter2", "IllegalStateException", "secret", "at io.");
        assertThat(log).containsExactly("evaluate address", "evaluate broken", "complete broken 500", "complete address 500");
    }

    @Test
    void anErrorThrownByAPolicyIsAlsoA500() {
        Pipeline p = Pipeline.builder()
                .add(new Recording("assert", Stage.AUTHENTICATION, e -> {
                    throw new AssertionError("boom");
                }))
                .build();
        assertThat(p.evaluate(new Exchange(FakeRequest.get("/"))).problem().status()).isEqualTo(500);
    }

    @Test
    void aPolicyThatAnswersNullIsABugAnsweredWith500() {
        Pipeline p = Pipeline.builder()
                .add(new Recording("null", Stage.AUTHENTICATION, e -> null))
                .add(proceeding("authz", Stage.AUTHORIZATION))
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/"));
        Decision d = p.evaluate(ex);
        assertThat(d.rejects()).isTrue();
        assertThat(d.problem().type()).isEqualTo(ProblemType.INTERNAL_ERROR);
        assertThat(log).containsExactly("evaluate null");
    }

    @Test
    void anExceptionOnCompletionIsIgnoredAndTheOthersStillComplete() {
        Pipeline p = Pipeline.builder()
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .add(new GatewayPolicy() {
                    @Override
                    public Stage stage() {
                        return Stage.AUTHENTICATION;
                    }

                    @Override
                    public Decision evaluate(Exchange exchange) {
                        return Decision.proceed();
                    }

                    @Override
                    public void onComplete(Exchange exchange, int status) {
                        throw new IllegalStateException("ignored");
                    }
                })
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/"));
        p.evaluate(ex);
        p.complete(ex, 204);
        assertThat(log).containsExactly("evaluate address", "complete address 204");
    }

    @Test
    void completingAnExchangeThatNeverRanDoesNothing() {
        Pipeline p = Pipeline.builder().add(proceeding("address", Stage.CLIENT_ADDRESS)).build();
        p.complete(new Exchange(FakeRequest.get("/")), 200);
        assertThat(log).isEmpty();
    }

    @Test
    void routesComeFromTheTableThenTheFallback() {
        RoutePolicy users = RoutePolicy.builder("GET", "/users/{id}").build();
        RoutePolicy fallback = RoutePolicy.builder("*", "/{p: .*}").id("my-fallback").publicAccess().build();
        Pipeline p = Pipeline.builder().routes(RouteTable.of(List.of(users))).fallbackRoute(fallback).build();

        Exchange matched = new Exchange(FakeRequest.get("/users/7"));
        p.evaluate(matched);
        assertThat(matched.route()).isSameAs(users);

        Exchange unmatched = new Exchange(FakeRequest.of("POST", "/users/7"));
        p.evaluate(unmatched);
        assertThat(unmatched.route()).isSameAs(fallback);

        Exchange defaults = new Exchange(FakeRequest.get("/x"));
        Pipeline.builder().build().evaluate(defaults);
        assertThat(defaults.route()).isSameAs(RoutePolicy.fallback());
    }

    @Test
    void aRouteSetByTheAdapterIsKept() {
        RoutePolicy users = RoutePolicy.builder("GET", "/users/{id}").build();
        RoutePolicy preset = RoutePolicy.builder("GET", "/other").build();
        Pipeline p = Pipeline.builder()
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .add(proceeding("authn", Stage.AUTHENTICATION))
                .routes(RouteTable.of(List.of(users)))
                .build();
        Exchange ex = new Exchange(FakeRequest.get("/users/7"));
        assertThat(p.evaluatePreRouting(ex).proceeds()).isTrue();
        assertThat(log).containsExactly("evaluate address");
        ex.route(preset); // the framework routed (JAX-RS resource matching)
        assertThat(p.evaluateRouted(ex).proceeds()).isTrue();
        assertThat(ex.route()).isSameAs(preset);
        assertThat(log).containsExactly("evaluate address", "evaluate authn");
    }

    @Test
    void evaluateRoutedRunsThePreRoutingStagesWhenTheAdapterDidNot() {
        Pipeline p = Pipeline.builder()
                .add(proceeding("authn", Stage.AUTHENTICATION))
                .add(proceeding("address", Stage.CLIENT_ADDRESS))
                .build();
        p.evaluateRouted(new Exchange(FakeRequest.get("/")));
        assertThat(log).containsExactly("evaluate address", "evaluate authn");
    }

    /** Routing uses GatewayRequest.path(), the decoded path the framework dispatches on (FakeRequest decodes like a container). */
    @Test
    void theTableMatchesThePercentDecodedPath() {
        RoutePolicy admin = RoutePolicy.builder("GET", "/admin/{name}").build();
        RoutePolicy cafe = RoutePolicy.builder("GET", "/caf\u00e9").build();
        Pipeline p = Pipeline.builder().routes(RouteTable.of(List.of(admin, cafe))).build();

        Exchange encoded = new Exchange(FakeRequest.get("/%61dmin/J%C3%BCrgen%20B"));
        p.evaluate(encoded);
        assertThat(encoded.route()).isSameAs(admin);

        Exchange utf8 = new Exchange(FakeRequest.get("/caf%C3%A9"));
        p.evaluate(utf8);
        assertThat(utf8.route()).isSameAs(cafe);

        // '+' is not a space in a path; a path the container could not decode matches no route.
        Exchange plus = new Exchange(FakeRequest.get("/admin/a+b"));
        p.evaluate(plus);
        assertThat(plus.route()).isSameAs(admin);
        for (String bad : List.of("/%61dmin/%zz", "/%61dmin/x%")) {
            Exchange ex = new Exchange(FakeRequest.get(bad));
            p.evaluate(ex);
            assertThat(ex.route()).as(bad).isSameAs(RoutePolicy.fallback());
        }
    }

    @Test
    void anExchangeBelongsToThePipelineThatStartedIt() {
        Pipeline a = Pipeline.builder().build();
        Pipeline b = Pipeline.builder().build();
        Exchange ex = new Exchange(FakeRequest.get("/"));
        a.evaluatePreRouting(ex);
        assertThatThrownBy(() -> b.evaluatePreRouting(ex))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("exchange was started by another pipeline");
    }

    @Test
    void completionReachesThePoliciesOfThePipelineThatRanEvenAfterASwap() {
        Pipeline old = Pipeline.builder().add(proceeding("old", Stage.AUTHENTICATION)).build();
        Pipeline swapped = Pipeline.builder().add(proceeding("new", Stage.AUTHENTICATION)).build();
        Exchange ex = new Exchange(FakeRequest.get("/"));
        old.evaluate(ex);
        swapped.complete(ex, 200); // the adapter asks the gateway for the current pipeline
        assertThat(log).containsExactly("evaluate old", "complete old 200");
    }
}
