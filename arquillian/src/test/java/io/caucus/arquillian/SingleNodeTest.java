package io.caucus.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node in Arquillian's Payara Micro managed container, deploying the WAR the build produced
 * (the same one bin/caucus runs). Black box: every check goes through HTTP.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SingleNodeTest {

  static {
    // Payara Micro unpacks into java.io.tmpdir, which must exist before the container starts.
    try {
      Files.createDirectories(Path.of(System.getProperty("caucus.arquillian.dir"), "tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("caucus.war")));
  }

  private String root() {
    return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
  }

  private String app(String path) {
    String b = base.toString();
    return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
  }

  @Test
  void meDescribesTheConfiguredNode() throws Exception {
    Http.Answer me = Http.get(app("/v1/public/me"));
    assertEquals(200, me.status(), me.body());
    JsonObject json = me.json().asJsonObject();
    assertEquals("arquillian-node", json.getString("name"));
    assertEquals(28190, json.getInt("grpcPort"));
    assertEquals(28290, json.getInt("internalGrpcPort"));
    assertEquals("127.0.0.1", json.getString("internalHostName"));
  }
}
