package org.stamkund.engine.contacts;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** A person as a population register knows them. */
public record Person(
    String firstName,
    String lastName,
    @Nullable String careOf,
    String street,
    String zipCode,
    String city,
    String country,
    @Nullable LocalDate birthDay,
    @Nullable String gender,
    @Nullable String mobilePhone,
    @Nullable String socialSecurityNumber) {}
