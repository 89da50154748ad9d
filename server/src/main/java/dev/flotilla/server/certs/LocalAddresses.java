package dev.flotilla.server.certs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** This machine's host name and IP addresses, for the SANs of a generated server certificate. */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** The host name (when known) and "localhost". */
    public static List<String> hostNames() {
        Set<String> names = new LinkedHashSet<>();
        String host = hostName();
        if (host != null) {
            names.add(host);
        }
        names.add("localhost");
        return new ArrayList<>(names);
    }

    /** The machine's host name, or null when it cannot be found. */
    public static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? null : name;
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? null : env;
        }
    }

    /** Every address of every interface that is up, loopback included, without IPv6 scope ids. */
    public static List<String> ips() {
        Set<String> ips = new LinkedHashSet<>();
        ips.add("127.0.0.1");
        ips.add("0:0:0:0:0:0:0:1"); // the form InetAddress prints, so interface addresses do not repeat it
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
                        continue;
                    }
                    String text = a.getHostAddress();
                    int scope = text.indexOf('%');
                    ips.add(scope < 0 ? text : text.substring(0, scope));
                }
            }
        } catch (SocketException e) {
            // keep the loopback addresses
        }
        return new ArrayList<>(ips);
    }
}
