package io.batchgate.gateway.web;

import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every JSON and problem+json answer of the API followed by a newline, so that the output of
 * {@code curl} ends its line instead of running into the shell's prompt. Registered in place of
 * Spring Boot's own Jackson converter (see {@link WebConfiguration}); Tomcat's own error answers
 * and the filters' problems are ended the same way in {@code ProblemWriter} and its valve.
 */
public class LineEndedJsonConverter extends JacksonJsonHttpMessageConverter {

    public LineEndedJsonConverter(JsonMapper json) {
        super(json);
    }

    @Override
    protected void writeSuffix(JsonGenerator generator, Object object) {
        generator.writeRaw('\n');
    }
}
