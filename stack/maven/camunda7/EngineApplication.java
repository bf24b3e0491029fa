package hub.stack;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The Camunda 7 engine and its REST API (/engine-rest), configured by the application.yaml the
 * hub's stack command writes on every start. Nothing else: the hub's workers are external-task
 * clients in TypeScript.
 *
 * <p>With hub.rest.auth=true (CAMUNDA7_USERNAME set) every REST request but GET /engine-rest/engine
 * must sign in with HTTP Basic as a user of the engine (camunda.bpm.admin-user, made on start).
 *
 * <p>With hub.clock.controlled=true (STACK_CLOCK_CONTROL, for tests only) the engine's clock can be
 * moved over REST, as Zeebe's actuator moves the broker's: /engine-rest/hub-clock.
 */
@SpringBootApplication
public class EngineApplication {
  public static void main(String[] args) {
    SpringApplication.run(EngineApplication.class, args);
  }

  @Bean
  @ConditionalOnProperty(name = "hub.rest.auth", havingValue = "true")
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> restAuthentication() {
    var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("hub-rest-authentication");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM, HttpBasicAuthenticationProvider.class.getName());
    registration.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, "/engine-rest");
    registration.addUrlPatterns("/engine-rest/*");
    return registration;
  }

  @Bean
  @ConditionalOnProperty(name = "hub.clock.controlled", havingValue = "true")
  ResourceConfigCustomizer hubClock() {
    return config -> config.register(ClockResource.class);
  }

  /**
   * GET: the engine's time. POST add {"offsetMilli": n}: moves it by n ms and lets it tick on.
   * DELETE: back to the system clock. Answers {"epochMilli": n}, as Zeebe's /actuator/clock does.
   */
  @Path("/hub-clock")
  @Produces("application/json")
  public static class ClockResource {
    private static final Pattern OFFSET = Pattern.compile("\"offsetMilli\"\\s*:\\s*(-?\\d+)");
    private static long offset = 0;

    private static String now() {
      return "{\"epochMilli\":" + ClockUtil.getCurrentTime().getTime() + "}";
    }

    /** Timers that came due under the new time run now, not after the acquisition's idle wait. */
    private static void wakeJobExecutor() {
      var engine = ProcessEngines.getDefaultProcessEngine();
      if (engine == null) return;
      JobExecutor executor = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
      if (executor != null) executor.jobWasAdded();
    }

    @GET
    public String get() {
      return now();
    }

    @POST
    @Path("/add")
    @Consumes("application/json")
    public synchronized String add(String body) {
      Matcher m = OFFSET.matcher(body == null ? "" : body);
      if (!m.find()) throw new jakarta.ws.rs.BadRequestException("expected {\"offsetMilli\": n}");
      offset += Long.parseLong(m.group(1));
      ClockUtil.offset(offset);
      wakeJobExecutor();
      return now();
    }

    @DELETE
    public synchronized String reset() {
      offset = 0;
      ClockUtil.reset();
      return now();
    }
  }
}
