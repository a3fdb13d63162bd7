// Runs the Flink Kubernetes Operator's own DefaultValidator on manifests.
//
// stdin:  a JSON array of Kubernetes objects (FlinkDeployment, FlinkSessionJob;
//         other kinds are skipped).
// args[0]: the file to write the verdicts to: a JSON array with one
//         {"kind", "name", "error"} per validated object, in input order;
//         "error" is null when the operator accepts it.
//
// A FlinkSessionJob is validated against the FlinkDeployment of the same
// array named by its spec.deploymentName (absent when there is none). Objects
// are read strictly: a field this operator version does not know is an error,
// as the operator's own deserialisation would drop it silently.
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.FlinkSessionJob;
import org.apache.flink.kubernetes.operator.config.FlinkConfigManager;
import org.apache.flink.kubernetes.operator.validation.DefaultValidator;

public final class OperatorValidator {
    private OperatorValidator() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper =
                new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        JsonNode input = mapper.readTree(System.in);
        DefaultValidator validator = new DefaultValidator(new FlinkConfigManager(new Configuration()));
        Map<String, FlinkDeployment> deployments = new HashMap<>();
        for (JsonNode object : input) {
            if ("FlinkDeployment".equals(object.path("kind").asText())) {
                try {
                    deployments.put(name(object), mapper.treeToValue(object, FlinkDeployment.class));
                } catch (Exception error) {
                    // Reported below, when the object itself is validated.
                }
            }
        }
        ArrayNode results = mapper.createArrayNode();
        for (JsonNode object : input) {
            String kind = object.path("kind").asText();
            if (!kind.equals("FlinkDeployment") && !kind.equals("FlinkSessionJob")) {
                continue;
            }
            ObjectNode result = results.addObject();
            result.put("kind", kind);
            result.put("name", name(object));
            result.put("error", validate(mapper, validator, deployments, object, kind).orElse(null));
        }
        // Not stdout: the operator's log4j configuration logs there.
        mapper.writeValue(new java.io.File(args[0]), results);
        // The config manager leaves a non-daemon thread behind.
        System.exit(0);
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static Optional<String> validate(
            ObjectMapper mapper,
            DefaultValidator validator,
            Map<String, FlinkDeployment> deployments,
            JsonNode object,
            String kind) {
        try {
            if (kind.equals("FlinkDeployment")) {
                return validator.validateDeployment(mapper.treeToValue(object, FlinkDeployment.class));
            }
            FlinkSessionJob job = mapper.treeToValue(object, FlinkSessionJob.class);
            String session = object.path("spec").path("deploymentName").asText();
            return validator.validateSessionJob(job, Optional.ofNullable(deployments.get(session)));
        } catch (Exception error) {
            return Optional.of(error.getClass().getSimpleName() + ": " + error.getMessage());
        }
    }
}
