package jp.kitamoto.lists.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One address or CIDR block from a setting such as {@code smtp.limits.exempt-clients} ("127.0.0.0/8", "::1",
 * "192.0.2.10"). Only literals are accepted: a host name would need DNS at start-up and could change under us.
 */
public record ClientNetwork(byte[] network, int prefixLength, String text) {

    /** Parses a comma- or space-separated list; empty text gives an empty list. */
    public static List<ClientNetwork> parseList(String key, String text) {
        List<ClientNetwork> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        for (String item : text.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                result.add(parse(key, item));
            }
        }
        return List.copyOf(result);
    }

    static ClientNetwork parse(String key, String item) {
        int slash = item.indexOf('/');
        String host = slash < 0 ? item : item.substring(0, slash);
        // Only characters of IPv4/IPv6 literals: InetAddress.getByName then never asks DNS.
        if (host.isEmpty() || !host.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+") || !(host.contains(".") || host.contains(":"))) {
            throw new ConfigException(key + ": '" + item + "' is not an IP address or CIDR block");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(key + ": '" + item + "' is not an IP address or CIDR block");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(item.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new ConfigException(key + ": '" + item + "' has a prefix length outside 0.." + max);
            }
        }
        return new ClientNetwork(bytes, prefix, item);
    }

    /** Whether the address lies in this block (an IPv4 block never matches an IPv6 address, and back). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
