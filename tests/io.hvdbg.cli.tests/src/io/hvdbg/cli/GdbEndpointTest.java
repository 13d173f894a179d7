/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --gdb PORT|HOST:PORT}: loopback unless a host is named, IPv6 in brackets, ports 0-65535. */
class GdbEndpointTest {
    @Test
    void aPortAloneListensOnLoopback() throws CliException {
        assertEquals(new GdbEndpoint("127.0.0.1", 1234), GdbEndpoint.parse("1234"));
    }

    @Test
    void hostsAndIpv6AreAccepted() throws CliException {
        assertEquals(new GdbEndpoint("0.0.0.0", 9000), GdbEndpoint.parse("0.0.0.0:9000"));
        assertEquals(new GdbEndpoint("localhost", 0), GdbEndpoint.parse("localhost:0"));
        assertEquals(new GdbEndpoint("::1", 1234), GdbEndpoint.parse("[::1]:1234"));
        assertEquals("[::1]:1234", GdbEndpoint.parse("[::1]:1234").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "65536", "-1", ":1234", "host:", "a b:1", "::1:1234", "[::1]", "[::1]1234", "1234567"})
    void malformedValuesAreUsageErrorsNamingTheValue(String value) {
        CliException e = assertThrows(CliException.class, () -> GdbEndpoint.parse(value));
        assertEquals(ExitCodes.USAGE, e.status());
        assertTrue(e.getMessage().startsWith("option --gdb must be PORT or HOST:PORT, not '" + value + "'"), e.getMessage());
    }
}
