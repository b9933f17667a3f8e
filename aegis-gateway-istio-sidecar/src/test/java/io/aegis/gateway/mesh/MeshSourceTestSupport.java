package io.aegis.gateway.mesh;

import java.util.List;

/** Test helper: a copy of a description with other version weights (what an edited overlay would give). */
final class MeshSourceTestSupport {

    private MeshSourceTestSupport() {
    }

    static MeshDescription withVersions(MeshDescription d, List<MeshVersion> versions) {
        return MeshDescription.builder(d.service()).namespace(d.namespace()).serviceAccount(d.serviceAccount())
                .environment(d.environment()).port(d.port()).logLevel(d.logLevel()).hosts(d.hosts()).routes(d.routes())
                .defaultAccess(d.defaultAccess()).auth(d.auth()).tierLimits(d.tierLimits())
                .rateLimitsEnabled(d.rateLimitsEnabled()).trustedProxies(d.trustedProxies()).versions(versions)
                .rollout(d.rollout()).traffic(d.traffic()).upstreams(d.upstreams()).callers(d.callers()).cors(d.cors())
                .ipRestriction(d.ipAllow(), d.ipDeny()).maxBodyBytes(d.maxBodyBytes()).kubernetes(d.kubernetes())
                .failover(d.failover()).namespaceMtls(d.namespaceMtls()).kong(d.kong()).extAuthz(d.extAuthz())
                .otlpEndpoint(d.otlpEndpoint()).egressHosts(d.egressHosts()).labels(d.labels())
                .configuration(d.configuration()).clock(Examples.CLOCK).build();
    }
}
