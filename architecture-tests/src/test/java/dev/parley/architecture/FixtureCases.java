package dev.parley.architecture;

import java.util.List;

/** The fixture trees under {@code dev.parley.architecture.fixtures}, by case name. */
final class FixtureCases {

    /** Obeys every rule. */
    static final String CLEAN = "clean";

    static final String DOMAIN_TO_APPLICATION = "domaintoapplication";
    static final String DOMAIN_FRAMEWORK = "domainframework";
    static final String APPLICATION_TO_ADAPTER = "applicationtoadapter";
    static final String ADAPTER_TO_ADAPTER = "adaptertoadapter";
    static final String ADAPTER_TO_BOOTSTRAP = "adaptertobootstrap";
    static final String GUICE_IN_ADAPTER = "guiceinadapter";
    static final String JAKARTA_IN_APPLICATION = "jakartainapplication";
    static final String CYCLE = "cycle";
    static final String OUT_PORT_CLASS = "outportclass";
    static final String IN_PORT_CLASS = "inportclass";
    static final String GUICE_FIELD_INJECTION = "guicefieldinjection";
    static final String JAKARTA_FIELD_INJECTION = "jakartafieldinjection";
    static final String ONION_PORT_ON_SERVICE = "onionportonservice";
    static final String ONION_STRAY = "onionstray";
    static final String STDOUT = "stdout";
    static final String STDERR = "stderr";
    static final String CLIENT_TO_APPLICATION = "clienttoapplication";
    static final String SERVER_TO_CLIENT = "servertoclient";
    static final String IN_PORT_VOID = "inportvoid";
    static final String UNUSED_OUT_PORT = "unusedoutport";

    /** Every case that breaks something on purpose. */
    static final List<String> BROKEN = List.of(
            DOMAIN_TO_APPLICATION, DOMAIN_FRAMEWORK, APPLICATION_TO_ADAPTER, ADAPTER_TO_ADAPTER, ADAPTER_TO_BOOTSTRAP,
            GUICE_IN_ADAPTER, JAKARTA_IN_APPLICATION, CYCLE, OUT_PORT_CLASS, IN_PORT_CLASS, GUICE_FIELD_INJECTION,
            JAKARTA_FIELD_INJECTION, ONION_PORT_ON_SERVICE, ONION_STRAY, STDOUT, STDERR, CLIENT_TO_APPLICATION,
            SERVER_TO_CLIENT, IN_PORT_VOID, UNUSED_OUT_PORT);

    private FixtureCases() {
    }
}
