package jp.kitamoto.lists.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of every module, checked on the main classes. It lives in app because app's tests see every
 * module's classes. A package cycle means two packages can only be understood, tested and moved together.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // DO_NOT_INCLUDE_TESTS knows test-classes folders but not test jars (core's test helpers come as one).
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("jp.kitamoto.lists");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("jp.kitamoto.lists.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void webPagesDependOnTheSharedWebTypesNotOnAdminWebItself() {
        // Modules adding pages see WebModule/WebSupport/Page/Labels/WebDeps, never the application class that
        // starts the web server (that dependency was the admin-web cycle).
        noClasses().that().resideOutsideOfPackage("jp.kitamoto.lists.app..")
                .and().doNotHaveFullyQualifiedName("jp.kitamoto.lists.web.AdminWeb")
                .and().doNotHaveFullyQualifiedName("jp.kitamoto.lists.web.Support")
                .should().dependOnClassesThat().haveFullyQualifiedName("jp.kitamoto.lists.web.AdminWeb")
                .check(classes);
    }

    @Test
    void schedulesDomainDoesNotDependOnTheWebNorTheMailServer() {
        // The pages live in the schedules-web module (package schedules.web); the domain module must not need them.
        noClasses().that().resideInAPackage("jp.kitamoto.lists.schedules..")
                .and().resideOutsideOfPackage("jp.kitamoto.lists.schedules.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "gg.jte..",
                        "jp.kitamoto.lists.web..", "jp.kitamoto.lists.mail..")
                .check(classes);
    }
}
