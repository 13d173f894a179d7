/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.inspect;

/**
 * One row of a vCPU's system state for views and {@code monitor vcpu}: e.g. group
 * {@code control}, name {@code cr4}, value, and its set bits decoded ({@code PAE PGE OSFXSR}).
 */
public record StateRow(String group, String name, long value, String decoded) {
}
