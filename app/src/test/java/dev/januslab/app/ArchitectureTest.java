package dev.januslab.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering (DESIGN.md §1): the interpreter and the scheduler know nothing of JavaFX. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.januslab");

    @Test
    void interpreterAndSchedulerNeverImportJavaFx() {
        noClasses().that().resideInAnyPackage("dev.januslab.interpreter..", "dev.januslab.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.fxmisc..", "org.controlsfx..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void theModelAndTheDemoSchedulerStayFreeOfJavaFx() {
        noClasses().that().resideInAnyPackage("dev.januslab.app.model..", "dev.januslab.app.demo..",
                        "dev.januslab.app.session..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(classes);
    }
}
