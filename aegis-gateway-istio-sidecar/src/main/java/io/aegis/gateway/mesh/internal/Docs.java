package io.aegis.gateway.mesh.internal;

import io.aegis.gateway.mesh.MeshDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building blocks of generated documents: ordered maps without null values, metadata, labels. */
public final class Docs {

    private Docs() {
    }

    /** An ordered map of key/value pairs; pairs whose value is {@code null} or an empty list/map are left out. */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null || v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> mm && mm.isEmpty()) {
                continue;
            }
            m.put((String) kv[i], v);
        }
        return m;
    }

    /** The labels every generated object carries. */
    public static Map<String, Object> labels(MeshDescription d) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("app.kubernetes.io/name", d.service());
        l.put("app.kubernetes.io/part-of", "aegis");
        l.put("app.kubernetes.io/managed-by", "aegis-mesh");
        l.put("aegis.io/environment", d.environment());
        l.putAll(d.labels());
        return l;
    }

    /** Metadata with a name, the service's namespace and the common labels. */
    public static Map<String, Object> metadata(MeshDescription d, String name) {
        return map("name", name, "namespace", d.namespace(), "labels", labels(d));
    }

    /** A Kubernetes object. */
    public static Map<String, Object> object(String apiVersion, String kind, Map<String, Object> metadata, Object spec) {
        return map("apiVersion", apiVersion, "kind", kind, "metadata", metadata, "spec", spec);
    }

    /** The selector of the service's pods. */
    public static Map<String, Object> appSelector(MeshDescription d) {
        return map("app", d.service());
    }
}
