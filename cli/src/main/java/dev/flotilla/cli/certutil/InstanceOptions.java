package dev.flotilla.cli.certutil;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which certificates to make: one from {@code --name/--dns/--ip}, or many from {@code --in} or {@code --multiple}. */
final class InstanceOptions {

    static final String DEFAULT_NAME = "instance";

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the certificate (its CN and file names)")
    String name;

    @Option(names = "--dns", split = ",", paramLabel = "NAME", description = "DNS names for the certificate, comma separated")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", split = ",", paramLabel = "ADDRESS", description = "IP addresses for the certificate, comma separated")
    List<String> ips = new ArrayList<>();

    @Option(names = "--in", paramLabel = "FILE", description = "instances.yml listing many certificates to make")
    Path in;

    @Option(names = "--multiple", description = "Make several certificates, asking for each on the terminal")
    boolean multiple;

    /** True when the output is a bundle of several instances (or could be). */
    boolean many() {
        return in != null || multiple;
    }

    List<Instance> instances(CommandLine cmd, PrintWriter warnings) {
        if (in != null && (name != null || !dns.isEmpty() || !ips.isEmpty())) {
            throw new CommandLine.ParameterException(cmd, "--in takes the names, DNS names and IPs from the file; "
                    + "do not combine it with --name, --dns or --ip");
        }
        if (in != null) {
            return InstancesFile.read(in, warnings);
        }
        if (multiple) {
            if (name != null || !dns.isEmpty() || !ips.isEmpty()) {
                throw new CommandLine.ParameterException(cmd, "--multiple asks for every instance; do not combine "
                        + "it with --name, --dns or --ip (or use --in instances.yml)");
            }
            return InstancePrompt.ask();
        }
        return List.of(new Instance(name == null ? DEFAULT_NAME : name, null, dns, ips));
    }
}
