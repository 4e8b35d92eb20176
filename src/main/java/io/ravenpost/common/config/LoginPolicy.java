package io.ravenpost.common.config;

public enum LoginPolicy { NEWEST_WINS, REJECT_NEW }
