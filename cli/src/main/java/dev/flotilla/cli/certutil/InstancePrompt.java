package dev.flotilla.cli.certutil;

import dev.flotilla.cli.UserError;
import java.io.Console;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code --multiple}: asks on the terminal for one instance after another until an empty name. */
final class InstancePrompt {

    private InstancePrompt() {
    }

    static List<Instance> ask() {
        Console console = System.console();
        if (console == null) {
            throw new UserError("--multiple asks for the instances on a terminal and there is none; "
                    + "list them in a file and give it with --in instances.yml");
        }
        List<Instance> instances = new ArrayList<>();
        while (true) {
            String name = console.readLine("Enter instance name (empty to finish): ");
            if (name == null || name.isBlank()) {
                break;
            }
            String dns = console.readLine("Enter DNS names for %s, comma separated (may be empty): ", name);
            String ips = console.readLine("Enter IP addresses for %s, comma separated (may be empty): ", name);
            instances.add(new Instance(name.trim(), null, split(dns), split(ips)));
        }
        if (instances.isEmpty()) {
            throw new UserError("no instance was entered; nothing to do");
        }
        return instances;
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of()
                : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
