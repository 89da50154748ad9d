package dev.flotilla.cli;

import picocli.CommandLine;

/** Prints the version baked into the jar manifest (or "dev" when run from classes). */
public final class FlotillaVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Flotilla.class.getPackage().getImplementationVersion();
        return new String[] {"flotilla " + (v == null ? "0.1.0-dev" : v), "java " + System.getProperty("java.version")};
    }
}
