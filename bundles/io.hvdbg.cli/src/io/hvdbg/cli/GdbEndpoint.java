/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

/**
 * Where {@code hvdbg run --gdb} listens: {@code PORT} (on the loopback interface) or
 * {@code HOST:PORT} (an explicitly named interface, e.g. {@code 0.0.0.0:1234} or
 * {@code [::1]:1234}). Port 0 asks for any free port; the stub reports the one it took.
 */
public record GdbEndpoint(String host, int port) {
    /** The default host: loopback only, so a stub is never exposed unless asked for. */
    public static final String LOOPBACK = "127.0.0.1";

    public GdbEndpoint {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
    }

    /** Parses the value of {@code --gdb}; the message names what is wrong. */
    public static GdbEndpoint parse(String value) throws CliException {
        String host = LOOPBACK;
        String port = value;
        int colon = value.lastIndexOf(':');
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw bad(value, "an IPv6 host is written [ADDRESS]:PORT");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else if (colon >= 0) {
            if (value.indexOf(':') != colon) {
                throw bad(value, "write an IPv6 host as [ADDRESS]:PORT");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(value, "the host before ':' is empty");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_' || c == '%')) {
                throw bad(value, "'" + host + "' is not a host name or address");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(value, "the port must be a number 0-65535");
        }
        int p = Integer.parseInt(port);
        if (p > 65535) {
            throw bad(value, "the port must be a number 0-65535");
        }
        return new GdbEndpoint(host, p);
    }

    private static CliException bad(String value, String why) {
        return CliException.usage("run", "option --gdb must be PORT or HOST:PORT, not '" + value + "': " + why);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
