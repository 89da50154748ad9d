package dev.flotilla.server;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Router;

/** The agent-facing endpoints of the reference, each under its own limit. */
final class AgentApiRoutes {
    private AgentApiRoutes() {
    }

    static Router build(FleetServerConfig config, Handler status, Handler enroll, Handler checkin, Handler ack,
                        Handler audit) {
        return Router.builder()
                .route(GET, "/api/status", FleetServerConfig.ENDPOINT_STATUS,
                        config.limit(FleetServerConfig.ENDPOINT_STATUS), status)
                .route(POST, "/api/fleet/agents/enroll", FleetServerConfig.ENDPOINT_ENROLL,
                        config.limit(FleetServerConfig.ENDPOINT_ENROLL), enroll)
                .route(POST, "/api/fleet/agents/{id}/checkin", FleetServerConfig.ENDPOINT_CHECKIN,
                        config.limit(FleetServerConfig.ENDPOINT_CHECKIN), checkin)
                .route(POST, "/api/fleet/agents/{id}/acks", FleetServerConfig.ENDPOINT_ACK,
                        config.limit(FleetServerConfig.ENDPOINT_ACK), ack)
                .route(POST, "/api/fleet/agents/{id}/audit/unenroll", FleetServerConfig.ENDPOINT_AUDIT,
                        config.limit(FleetServerConfig.ENDPOINT_AUDIT), audit)
                .build();
    }
}
