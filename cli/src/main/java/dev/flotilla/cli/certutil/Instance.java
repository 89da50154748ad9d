package dev.flotilla.cli.certutil;

import dev.flotilla.cli.UserError;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One certificate to make: its name (the CN), the base name of its files in the bundle, and its SANs.
 *
 * @param name the common name
 * @param filename directory and file base name in the zip (defaults to the name)
 * @param dns DNS subject alternative names
 * @param ips IP subject alternative names
 */
record Instance(String name, String filename, List<String> dns, List<String> ips) {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");

    Instance {
        if (name == null || name.isBlank()) {
            throw new UserError("an instance has no name; give --name NAME (or 'name:' in instances.yml)");
        }
        filename = filename == null || filename.isBlank() ? name : filename;
        if (!FILE_NAME.matcher(filename).matches()) {
            throw new UserError("'" + filename + "' cannot be used as a file name in the bundle; use letters, "
                    + "digits, '.', '-' and '_' (give another --name, or 'filename:' in instances.yml)");
        }
        dns = List.copyOf(dns);
        ips = List.copyOf(ips);
    }
}
