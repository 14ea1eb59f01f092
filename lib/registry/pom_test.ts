import assert from "node:assert/strict";
import { appPomXml, appProperties, fetchPomXml, mavenArgs, settingsXml } from "./pom.ts";

Deno.test("settingsXml() sends every repository to Maven Central and keeps a private local repository", () => {
  const settings = settingsXml("/c/m2");
  assert.match(settings, /<localRepository>\/c\/m2<\/localRepository>/);
  assert.match(
    settings,
    /<mirrorOf>\*<\/mirrorOf>\s*<url>https:\/\/repo\.maven\.apache\.org\/maven2<\/url>/,
  );
});

Deno.test("appPomXml() depends on the 3.0.9 app without the MySQL and SQL Server extensions, on the 3.15.3 platform", () => {
  const pom = appPomXml();
  assert.match(
    pom,
    /<artifactId>apicurio-registry-app<\/artifactId>\s*<version>3\.0\.9<\/version>/,
  );
  assert.match(pom, /<artifactId>quarkus-bom<\/artifactId>\s*<version>3\.15\.3<\/version>/);
  assert.match(
    pom,
    /<artifactId>quarkus-maven-plugin<\/artifactId>\s*<version>3\.15\.3<\/version>/,
  );
  assert.deepEqual(
    [...pom.matchAll(/<artifactId>(quarkus-jdbc-[a-z]+)<\/artifactId><\/exclusion>/g)].map((m) =>
      m[1]
    ),
    ["quarkus-jdbc-mysql", "quarkus-jdbc-mssql"],
  );
});

Deno.test("appProperties() outranks the app's own file and turns the excluded datasources into H2", () => {
  assert.equal(
    appProperties(),
    [
      "config_ordinal=275",
      "quarkus.datasource.mysql.db-kind=h2",
      "quarkus.datasource.mysql.jdbc.url=jdbc:h2:mem:unused_mysql",
      "quarkus.datasource.mssql.db-kind=h2",
      "quarkus.datasource.mssql.jdbc.url=jdbc:h2:mem:unused_mssql",
      "",
    ].join("\n"),
  );
});

Deno.test("fetchPomXml() lists each artifact with its type, jar by default", () => {
  const pom = fetchPomXml(["g:a:1", "g:p:2:pom"], "/out");
  assert.match(pom, /<artifactId>a<\/artifactId><version>1<\/version><type>jar<\/type>/);
  assert.match(pom, /<artifactId>p<\/artifactId><version>2<\/version><type>pom<\/type>/);
  assert.match(pom, /<outputDirectory>\/out<\/outputDirectory>/);
});

Deno.test("mavenArgs() runs quietly in batch mode with the generated settings", () => {
  assert.deepEqual(mavenArgs("/s.xml", ["-f", "/p.xml", "package"]), [
    "-B",
    "-q",
    "-Dstyle.color=never",
    "-s",
    "/s.xml",
    "-f",
    "/p.xml",
    "package",
  ]);
});
