package io.aegis.gateway.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The architecture rules of ARCHITECTURE.md as ArchUnit checks, shared by every module's
 * architecture test:
 * <ul>
 *   <li>no module uses another module's {@code internal} packages;</li>
 *   <li>{@code spi} packages do not depend on {@code internal} packages;</li>
 *   <li>adapters hold no policy logic: they do not touch the libraries policies are built on
 *       (JJWT, Bucket4j, Caffeine, Failsafe).</li>
 * </ul>
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The production classes under a root package (tests excluded). */
    public static JavaClasses classes(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
    }

    /** Classes of the module rooted at {@code modulePackages} use no {@code internal} package of another module. */
    public static void noForeignInternals(JavaClasses classes, String... modulePackages) {
        String[] own = new String[modulePackages.length];
        for (int i = 0; i < own.length; i++) {
            own[i] = modulePackages[i] + "..";
        }
        noClasses().that().resideInAnyPackage(own)
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are in another module's internal package",
                        c -> c.getPackageName().contains(".internal") && !startsWithAny(c.getPackageName(), modulePackages)))
                .check(classes);
    }

    /** SPI packages never lean on internals. */
    public static void spiIndependentOfInternals(JavaClasses classes) {
        noClasses().that().resideInAPackage("..spi..")
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    /** Adapters translate; the policy libraries belong to the core. */
    public static void adaptersHoldNoPolicyLogic(JavaClasses classes, String adapterPackage) {
        noClasses().that().resideInAPackage(adapterPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.jsonwebtoken..", "io.github.bucket4j..", "com.github.benmanes.caffeine..", "dev.failsafe..")
                .check(classes);
    }

    private static boolean startsWithAny(String pkg, String... roots) {
        for (String r : roots) {
            if (pkg.equals(r) || pkg.startsWith(r + ".")) {
                return true;
            }
        }
        return false;
    }
}
