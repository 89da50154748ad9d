package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.http.Json;
import org.junit.jupiter.api.Test;

/** The schema check used by the API tests does reject what the reference does not allow. */
class OpenApiSchemasTest {
    @Test
    void rejectsResponsesMissingRequiredFieldsOrWithWrongTypes() {
        assertThat(OpenApiSchemas.problems("enrollResponse", Json.object().put("action", "created"))).isNotEmpty();
        assertThat(OpenApiSchemas.problems("error", Json.object().put("statusCode", "401").put("error", "x")))
                .isNotEmpty();
        var checkin = Json.object().put("action", "checkin");
        checkin.putArray("actions").addObject().put("id", "x").put("type", "NOT_A_TYPE");
        assertThat(OpenApiSchemas.problems("checkinResponse", checkin)).isNotEmpty();
        assertThat(OpenApiSchemas.problems("statusResponse", Json.object().put("name", "fleet-server")
                .put("status", "HEALTHY"))).isEmpty();
        assertThat(OpenApiSchemas.problems("statusResponse", Json.object().put("name", "fleet-server")
                .put("status", "GREAT"))).isNotEmpty();
    }
}
