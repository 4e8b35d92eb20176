package io.ravenpost.gate;

public enum LoginPolicy { NEWEST_WINS, REJECT_NEW }
