package hub.stack;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Camunda 7 engine and its REST API (/engine-rest), configured by the application.yaml the
 * hub's stack command writes on every start. Nothing else: the hub's workers are external-task
 * clients in TypeScript.
 */
@SpringBootApplication
public class EngineApplication {
  public static void main(String[] args) {
    SpringApplication.run(EngineApplication.class, args);
  }
}
