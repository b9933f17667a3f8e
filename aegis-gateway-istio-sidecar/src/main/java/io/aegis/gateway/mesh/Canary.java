package io.aegis.gateway.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.gateway.mesh.internal.IstioProjection;
import io.aegis.gateway.mesh.internal.Yaml;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Moves a rollout in a generated VirtualService: {@link #promote} sets the canary's share of every
 * route the stable and the canary versions both serve, {@link #rollback} gives it all back to the
 * stable version. The rollout (stable, canary, stages) is read from the VirtualService's
 * {@code aegis.io/rollout-*} annotations, which the generator writes.
 *
 * <p>Promotion goes one stage at a time (5 → 25 → 50 → 100 by default); a step that skips a stage,
 * or a share that is no stage, is refused unless forced. Going back down to a lower stage is
 * always allowed (it only lowers the exposure). Only weights change: the result is what the
 * generator would write for the same weights, byte for byte.
 *
 * <p>Stateless and thread-safe.
 */
@UnstableApi
public final class Canary {

    private Canary() {
    }

    /**
     * The outcome of a step.
     *
     * @param yaml the rewritten file
     * @param from the canary's share before
     * @param to the canary's share after
     */
    public record Step(String yaml, int from, int to) {
    }

    /**
     * Sets the canary's share to {@code to} percent.
     *
     * @param virtualService the generated {@code virtual-service.yaml}
     * @param force allow a share that skips stages or is no stage
     * @throws MeshConfigException when the file holds no rollout, or the step is refused
     */
    public static Step promote(String virtualService, int to, boolean force) {
        Objects.requireNonNull(virtualService, "virtualService");
        if (to < 0 || to > 100) {
            throw new MeshConfigException("--to", to + " (expected: a percentage 0 to 100)");
        }
        Parsed p = parse(virtualService);
        int from = p.current();
        if (!force && to > from) {
            int next = p.stages.stream().filter(s -> s > from).findFirst().orElse(100);
            if (to != next) {
                throw new MeshConfigException("--to", to + ": the canary " + p.canary + " is at " + from
                        + "% and the next stage is " + next + "% (expected: one stage at a time, "
                        + p.stages.stream().map(String::valueOf).collect(Collectors.joining(" -> "))
                        + "; --force skips stages)");
            }
        }
        if (!force && to < from && to != 0 && !p.stages.contains(to)) {
            throw new MeshConfigException("--to", to + " (expected: one of the stages " + p.stages + ", or 0; --force allows any)");
        }
        return new Step(p.rewrite(to), from, to);
    }

    /**
     * Returns all traffic to the stable version (the canary's share becomes 0).
     *
     * @throws MeshConfigException when the file holds no rollout
     */
    public static Step rollback(String virtualService) {
        Parsed p = parse(Objects.requireNonNull(virtualService, "virtualService"));
        int from = p.current();
        return new Step(p.rewrite(0), from, 0);
    }

    private static Parsed parse(String text) {
        String header = text.lines().takeWhile(l -> l.startsWith("#")).map(l -> l + "\n").collect(Collectors.joining());
        List<JsonNode> docs;
        try {
            docs = Yaml.readAll(text);
        } catch (RuntimeException e) {
            throw new MeshConfigException("virtual-service", "not valid YAML (expected: a generated virtual-service.yaml)", e);
        }
        List<Map<String, Object>> maps = new ArrayList<>();
        int index = -1;
        for (int i = 0; i < docs.size(); i++) {
            maps.add(Yaml.toMap(docs.get(i)));
            if ("VirtualService".equals(docs.get(i).path("kind").asText())) {
                index = i;
            }
        }
        if (index < 0) {
            throw new MeshConfigException("virtual-service", "no VirtualService (expected: a generated virtual-service.yaml)");
        }
        JsonNode ann = docs.get(index).path("metadata").path("annotations");
        String stable = ann.path(IstioProjection.ROLLOUT_STABLE).asText(null);
        String canary = ann.path(IstioProjection.ROLLOUT_CANARY).asText(null);
        String stages = ann.path(IstioProjection.ROLLOUT_STAGES).asText(null);
        if (stable == null || canary == null || stages == null) {
            throw new MeshConfigException("rollout", "the VirtualService declares no rollout (expected: a descriptor with"
                    + " rollout.stable and rollout.canary, generated again)");
        }
        List<Integer> stageList = Arrays.stream(stages.split(",")).map(String::trim).map(Integer::parseInt).toList();
        return new Parsed(header, maps, index, stable, canary, stageList);
    }

    private static final class Parsed {
        final String header;
        final List<Map<String, Object>> docs;
        final int index;
        final String stable;
        final String canary;
        final List<Integer> stages;

        Parsed(String header, List<Map<String, Object>> docs, int index, String stable, String canary, List<Integer> stages) {
            this.header = header;
            this.docs = docs;
            this.index = index;
            this.stable = stable;
            this.canary = canary;
            this.stages = stages;
        }

        /** The canary's weight in the shared routes (those that send to both versions). */
        int current() {
            List<List<Map<String, Object>>> shared = shared();
            if (!shared.isEmpty()) {
                return weight(shared.get(0), canary);
            }
            throw new MeshConfigException("rollout", "no route sends to both " + stable + " and " + canary
                    + " (expected: the generated routes of the rollout)");
        }

        @SuppressWarnings("unchecked")
        List<List<Map<String, Object>>> shared() {
            Map<String, Object> spec = (Map<String, Object>) docs.get(index).get("spec");
            List<Map<String, Object>> http = (List<Map<String, Object>>) spec.getOrDefault("http", List.of());
            List<List<Map<String, Object>>> out = new ArrayList<>();
            for (Map<String, Object> route : http) {
                List<Map<String, Object>> dest = (List<Map<String, Object>>) route.getOrDefault("route", List.of());
                if (weight(dest, stable) >= 0 && weight(dest, canary) >= 0) {
                    out.add(dest);
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        static int weight(List<Map<String, Object>> dest, String subset) {
            for (Map<String, Object> d : dest) {
                Map<String, Object> destination = (Map<String, Object>) d.get("destination");
                if (destination != null && subset.equals(destination.get("subset"))) {
                    Object w = d.get("weight");
                    return w instanceof Number n ? n.intValue() : 100;
                }
            }
            return -1;
        }

        @SuppressWarnings("unchecked")
        String rewrite(int to) {
            for (List<Map<String, Object>> dest : shared()) {
                for (Map<String, Object> d : dest) {
                    Object subset = ((Map<String, Object>) d.get("destination")).get("subset");
                    if (stable.equals(subset)) {
                        d.put("weight", 100 - to);
                    } else if (canary.equals(subset)) {
                        d.put("weight", to);
                    }
                }
            }
            return header + Yaml.write(new ArrayList<>(docs));
        }
    }
}
