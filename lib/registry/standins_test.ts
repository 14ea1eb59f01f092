import assert from "node:assert/strict";
import {
  categoryNames,
  CONFIG_DEFINITIONS_DROPPED,
  configTypeSources,
  parentPom,
  STAND_INS,
  standInPom,
} from "./standins.ts";

const PARENT = `<project>
  <groupId>io.apicurio</groupId>
  <artifactId>apicurio-registry</artifactId>
  <version>3.0.7</version>
  <properties><quarkus.version>3.15.4</quarkus.version></properties>
  <modules>
    <module>app</module>
  </modules>
  <dependency><artifactId>x</artifactId><version>3.0.7</version></dependency>
</project>`;

Deno.test("parentPom() renames the 3.0.7 parent to 3.0.9 on Quarkus 3.15.3 and drops its modules", () => {
  assert.equal(
    parentPom(PARENT),
    `<project>
  <groupId>io.apicurio</groupId>
  <artifactId>apicurio-registry</artifactId>
  <version>3.0.9</version>
  <properties><quarkus.version>3.15.3</quarkus.version></properties>
  <dependency><artifactId>x</artifactId><version>3.0.7</version></dependency>
</project>`,
  );
});

Deno.test("parentPom() throws when the POM has nothing to rewrite", () => {
  assert.throws(() => parentPom("<project/>"), /no version or quarkus.version to rewrite/);
});

Deno.test("STAND_INS covers the four modules Maven Central lacks at 3.0.9", () => {
  assert.deepEqual(STAND_INS.map((s) => `${s.artifactId}:${s.from}`), [
    "apicurio-registry-config-definitions:3.0.6",
    "apicurio-registry-config-index-deployment:3.0.6",
    "apicurio-registry-utils-kafka:2.6.13.Final",
    "apicurio-registry-protobuf-schema-utilities:3.0.7",
  ]);
});

Deno.test("standInPom() puts the module at 3.0.9 under the stand-in parent, with scopes", () => {
  const pom = standInPom({ artifactId: "m", from: "1", dependencies: ["g:a", "g:b:provided"] });
  assert.match(pom, /<parent>[\s\S]*<version>3\.0\.9<\/version>[\s\S]*<\/parent>/);
  assert.match(pom, /<artifactId>m<\/artifactId>/);
  assert.match(pom, /<groupId>g<\/groupId><artifactId>a<\/artifactId><\/dependency>/);
  assert.match(pom, /<artifactId>b<\/artifactId><scope>provided<\/scope>/);
});

Deno.test("categoryNames() finds each CATEGORY_ constant once, sorted", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.deepEqual(
    categoryNames([bytes("\x01\x00\x0dCATEGORY_REST\x01"), bytes("xCATEGORY_APIyCATEGORY_REST;")]),
    ["CATEGORY_API", "CATEGORY_REST"],
  );
  assert.deepEqual(categoryNames([bytes("CATEGORY_")]), []);
});

Deno.test("configTypeSources() writes the enum and an @Info whose category is that enum", () => {
  const [category, info] = configTypeSources(["CATEGORY_API", "CATEGORY_UI"]);
  assert.equal(category.path, "io/apicurio/common/apps/config/ConfigPropertyCategory.java");
  assert.match(
    category.text,
    /public enum ConfigPropertyCategory \{\n {2}CATEGORY_API,\n {2}CATEGORY_UI\n\}/,
  );
  assert.equal(info.path, "io/apicurio/common/apps/config/Info.java");
  assert.match(
    info.text,
    /@Nonbinding ConfigPropertyCategory category\(\) default ConfigPropertyCategory\.CATEGORY_API;/,
  );
  for (
    const name of [
      "description",
      "availableSince",
      "registryAvailableSince",
      "studioAvailableSince",
    ]
  ) {
    assert.match(info.text, new RegExp(`@Nonbinding String ${name}\\(\\) default "";`));
  }
  assert.throws(() => configTypeSources([]), /no CATEGORY_ constants/);
});

Deno.test("CONFIG_DEFINITIONS_DROPPED removes the old Info and its stale Jandex index", () => {
  assert.deepEqual(CONFIG_DEFINITIONS_DROPPED, [
    "io/apicurio/common/apps/config/Info.class",
    "META-INF/jandex.idx",
    "META-INF/maven",
  ]);
});
