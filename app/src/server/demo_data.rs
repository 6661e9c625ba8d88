//! The fictional demo network that `coop-travel seed-demo` writes into an empty database.
//!
//! Every co-op, person and address here is invented; the coordinates are real city centres so the map and the
//! distance search have something true to work with.

/// A network of co-ops (a global community or a national federation).
pub struct DemoNetwork {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// ISO 3166-1 alpha-2 for a national federation, `None` for a global network.
    pub country: Option<&'static str>,
    pub auto_approve_verified: bool,
}

/// One offer of a demo co-op.
pub struct DemoOffer {
    /// `room | bed | couch | desk | visit`
    pub kind: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Guests per night.
    pub capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    /// Comma-separated ISO 639-1 codes.
    pub languages: &'static str,
    pub amenities: &'static str,
    pub accessibility: &'static str,
    pub house_rules: &'static str,
    pub skills_wanted: &'static str,
    /// Exact street address: private, shown only to a confirmed traveller.
    pub address: &'static str,
}

/// A fictional worker co-operative.
pub struct DemoCoop {
    pub slug: &'static str,
    pub name: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub city: &'static str,
    /// Exact location (private); the public one is fuzzed by the seeder.
    pub lat: f64,
    pub lon: f64,
    pub website: &'static str,
    pub description: &'static str,
    /// Comma-separated ISO 639-1 codes.
    pub languages: &'static str,
    /// Slugs of the networks it belongs to, with the membership status (`pending | verified | revoked`).
    pub networks: &'static [(&'static str, &'static str)],
    pub offers: &'static [DemoOffer],
}

pub const NETWORKS: &[DemoNetwork] = &[
    DemoNetwork {
        slug: "patio",
        name: "Patio",
        description: "A global community of technology worker co-operatives that share knowledge, \
                      tools and work across borders.",
        country: None,
        auto_approve_verified: false,
    },
    DemoNetwork {
        slug: "facttic",
        name: "FACTTIC",
        description: "The Argentine federation of technology, innovation and knowledge worker \
                      co-operatives.",
        country: Some("AR"),
        auto_approve_verified: true,
    },
];

pub const COOPS: &[DemoCoop] = &[
    DemoCoop {
        slug: "telar-sur",
        name: "Cooperativa Telar Sur",
        country: "AR",
        city: "Buenos Aires",
        lat: -34.6037,
        lon: -58.3816,
        website: "https://telar-sur.coop.example",
        description:
            "Builds membership, payroll and case-management software for trade unions and \
             neighbourhood organisations.",
        languages: "es,en",
        networks: &[("facttic", "verified"), ("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "room",
                title: "Private room above the office",
                description:
                    "A small private room on the floor above our workshop, with its own window \
                     onto a quiet inner courtyard.",
                capacity: 2,
                min_nights: 1,
                max_nights: 14,
                notice_days: 3,
                languages: "es,en",
                amenities: "wifi, kitchen, washing machine, bed linen",
                accessibility: "first floor, no lift",
                house_rules: "no smoking, quiet after 23:00",
                skills_wanted: "Rust, PostgreSQL, accessibility audits",
                address: "Pasaje de los Telares 412, Buenos Aires",
            },
            DemoOffer {
                kind: "desk",
                title: "Hot desks in our coworking room",
                description:
                    "Desks with monitors in the room we share with two other co-ops; join us for \
                     the Friday shared lunch.",
                capacity: 4,
                min_nights: 1,
                max_nights: 30,
                notice_days: 1,
                languages: "es,en",
                amenities: "wifi, monitors, coffee, meeting room",
                accessibility: "step-free entrance, accessible toilet",
                house_rules: "no smoking, keep the kitchen tidy",
                skills_wanted: "frontend, UX writing",
                address: "Pasaje de los Telares 412, Buenos Aires",
            },
            DemoOffer {
                kind: "visit",
                title: "Visit our workshop and assembly",
                description:
                    "Spend a day with us, see how we plan work together and sit in on our weekly \
                     assembly.",
                capacity: 10,
                min_nights: 1,
                max_nights: 1,
                notice_days: 7,
                languages: "es,en",
                amenities: "wifi, lunch included",
                accessibility: "step-free entrance, accessible toilet",
                house_rules: "no smoking",
                skills_wanted: "co-op governance, bookkeeping",
                address: "Pasaje de los Telares 412, Buenos Aires",
            },
        ],
    },
    DemoCoop {
        slug: "ribera-software",
        name: "Ribera Software Cooperativa",
        country: "AR",
        city: "Rosario",
        lat: -32.9442,
        lon: -60.6505,
        website: "https://ribera-software.coop.example",
        description: "Develops web and mobile apps for co-operatives, local producers and public \
                      libraries.",
        languages: "es,en,it",
        networks: &[("facttic", "verified"), ("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "couch",
                title: "Sofa bed in a member's flat",
                description:
                    "A comfortable sofa bed in the living room of a member's flat, ten minutes' \
                     walk from the river.",
                capacity: 1,
                min_nights: 1,
                max_nights: 7,
                notice_days: 5,
                languages: "es,it",
                amenities: "wifi, kitchen, balcony",
                accessibility: "third floor, lift",
                house_rules: "no smoking, cat in the flat",
                skills_wanted: "Flutter, Kotlin",
                address: "Calle de los Sauces 1580, Rosario",
            },
            DemoOffer {
                kind: "desk",
                title: "Desks by the river",
                description:
                    "Spare desks in our open-plan office; bring your laptop and we will lend \
                     you a screen.",
                capacity: 3,
                min_nights: 1,
                max_nights: 21,
                notice_days: 2,
                languages: "es,en,it",
                amenities: "wifi, monitors, mate and coffee",
                accessibility: "step-free entrance",
                house_rules: "no smoking, quiet hours 10:00-13:00",
                skills_wanted: "mobile testing, Spanish-English translation",
                address: "Bulevar del Remo 2241, Rosario",
            },
        ],
    },
    DemoCoop {
        slug: "algarrobo-lab",
        name: "Algarrobo Lab Cooperativa",
        country: "AR",
        city: "Córdoba",
        lat: -31.4201,
        lon: -64.1888,
        website: "https://algarrobo-lab.coop.example",
        description:
            "Repairs and refurbishes laptops for public schools and runs free-software install \
             days.",
        languages: "es,en",
        networks: &[("facttic", "verified"), ("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "bed",
                title: "Bed in the shared guest room",
                description:
                    "One of two single beds in the guest room of the house where three of our \
                     members live.",
                capacity: 2,
                min_nights: 1,
                max_nights: 10,
                notice_days: 4,
                languages: "es,en",
                amenities: "wifi, kitchen, garden, towels",
                accessibility: "step-free entrance, ground floor",
                house_rules: "no smoking, quiet after 22:00, shared cooking",
                skills_wanted: "electronics repair, Linux packaging",
                address: "Calle del Algarrobo 735, Córdoba",
            },
            DemoOffer {
                kind: "visit",
                title: "Repair workshop day",
                description:
                    "Spend a day at our bench repairing school laptops and learn how we run \
                     our refurbishing line.",
                capacity: 6,
                min_nights: 1,
                max_nights: 1,
                notice_days: 10,
                languages: "es",
                amenities: "wifi, tools provided, lunch included",
                accessibility: "step-free entrance",
                house_rules: "closed-toe shoes in the workshop",
                skills_wanted: "soldering, hardware diagnostics",
                address: "Pasaje Las Lomas 219, Córdoba",
            },
        ],
    },
    DemoCoop {
        slug: "vendimia-datos",
        name: "Vendimia Datos Cooperativa",
        country: "AR",
        city: "Mendoza",
        lat: -32.8895,
        lon: -68.8458,
        website: "https://vendimia-datos.coop.example",
        description:
            "Does data analysis and irrigation mapping for small wine and fruit producers' \
             co-operatives.",
        languages: "es",
        networks: &[("facttic", "verified")],
        offers: &[DemoOffer {
            kind: "room",
            title: "Guest room near the plaza",
            description:
                "A private room with a double bed in a member's house, a short walk from the \
                 city centre.",
            capacity: 2,
            min_nights: 1,
            max_nights: 30,
            notice_days: 7,
            languages: "es",
            amenities: "wifi, kitchen, bicycle to borrow",
            accessibility: "step-free entrance, ground floor",
            house_rules: "no smoking, no parties",
            skills_wanted: "GIS, Python, data visualisation",
            address: "Calle de las Acequias 948, Mendoza",
        }],
    },
    DemoCoop {
        slug: "diagonal-libre",
        name: "Diagonal Libre Cooperativa",
        country: "AR",
        city: "La Plata",
        lat: -34.9214,
        lon: -57.9545,
        website: "https://diagonal-libre.coop.example",
        description: "Runs free-software hosting, email and backups for social organisations and \
                      community radios.",
        languages: "es,en,pt",
        networks: &[("facttic", "verified"), ("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "couch",
                title: "Couch in the server-room flat",
                description:
                    "A couch in the flat behind our office; the fans hum a little but it is \
                     warm in winter.",
                capacity: 1,
                min_nights: 1,
                max_nights: 5,
                notice_days: 2,
                languages: "es,en,pt",
                amenities: "wifi, kitchen, shower",
                accessibility: "step-free entrance",
                house_rules: "no smoking, quiet after 22:00",
                skills_wanted: "Ansible, email deliverability",
                address: "Diagonal de los Tilos 1043, La Plata",
            },
            DemoOffer {
                kind: "visit",
                title: "Tour of our small data centre",
                description:
                    "A day with our sysadmins, including a tour of the racks and a talk on \
                     running infrastructure as a co-op.",
                capacity: 8,
                min_nights: 1,
                max_nights: 1,
                notice_days: 14,
                languages: "es,en",
                amenities: "wifi, coffee",
                accessibility: "step-free entrance, accessible toilet",
                house_rules: "no food near the racks",
                skills_wanted: "networking, security audits",
                address: "Diagonal de los Tilos 1043, La Plata",
            },
        ],
    },
    DemoCoop {
        slug: "teixit-obert",
        name: "Teixit Obert SCCL",
        country: "ES",
        city: "Barcelona",
        lat: 41.3874,
        lon: 2.1686,
        website: "https://teixit-obert.coop.example",
        description:
            "Translates and localises software, documentation and campaigns into Catalan, \
             Spanish, French and English.",
        languages: "ca,es,en,fr",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "room",
                title: "Room in the co-op's shared flat",
                description:
                    "A bright private room in the flat some of our members share, near the \
                     market.",
                capacity: 2,
                min_nights: 1,
                max_nights: 14,
                notice_days: 5,
                languages: "ca,es,en,fr",
                amenities: "wifi, kitchen, washing machine, balcony",
                accessibility: "fourth floor, small lift",
                house_rules: "no smoking, quiet after 22:00",
                skills_wanted: "terminology management, Weblate",
                address: "Carrer dels Teixidors 58, Barcelona",
            },
            DemoOffer {
                kind: "desk",
                title: "Desks in our translation studio",
                description:
                    "Quiet desks in our studio, a good place to focus; we break for lunch \
                     together at two.",
                capacity: 2,
                min_nights: 1,
                max_nights: 30,
                notice_days: 3,
                languages: "ca,es,en,fr",
                amenities: "wifi, monitors, library of dictionaries",
                accessibility: "step-free entrance, accessible toilet",
                house_rules: "quiet room, calls in the meeting room",
                skills_wanted: "proofreading, subtitle timing",
                address: "Carrer dels Teixidors 58, Barcelona",
            },
        ],
    },
    DemoCoop {
        slug: "rambla-abierta",
        name: "Rambla Abierta Cooperativa",
        country: "UY",
        city: "Montevideo",
        lat: -34.9058,
        lon: -56.1913,
        website: "https://rambla-abierta.coop.example",
        description:
            "Designs accessible interfaces and runs usability research for public services \
             and co-operatives.",
        languages: "es,pt,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "bed",
                title: "Bunk bed in our guest room",
                description:
                    "A bunk in the guest room of our office building, shared with at most \
                     one other traveller.",
                capacity: 2,
                min_nights: 1,
                max_nights: 10,
                notice_days: 3,
                languages: "es,pt,en",
                amenities: "wifi, kitchen, lockers",
                accessibility: "second floor, no lift",
                house_rules: "no smoking, quiet after 22:00",
                skills_wanted: "screen-reader testing, illustration",
                address: "Calle de los Faroles 1327, Montevideo",
            },
            DemoOffer {
                kind: "visit",
                title: "Usability lab open day",
                description:
                    "Join a day of usability sessions and see how we test interfaces with \
                     disabled users.",
                capacity: 5,
                min_nights: 1,
                max_nights: 1,
                notice_days: 7,
                languages: "es,en",
                amenities: "wifi, lunch included",
                accessibility: "step-free entrance, accessible toilet, hearing loop",
                house_rules: "ask before taking photos",
                skills_wanted: "accessibility audits, research ethics",
                address: "Calle de los Faroles 1327, Montevideo",
            },
        ],
    },
    DemoCoop {
        slug: "ipe-roxo",
        name: "Ipê Roxo Tecnologia Cooperativa",
        country: "BR",
        city: "São Paulo",
        lat: -23.5505,
        lon: -46.6333,
        website: "https://ipe-roxo.coop.example",
        description: "Builds open-source tools for community health workers and public schools.",
        languages: "pt,es,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "couch",
                title: "Couch in a member's apartment",
                description:
                    "A couch in the living room of a member's apartment, close to a metro \
                     station.",
                capacity: 1,
                min_nights: 1,
                max_nights: 6,
                notice_days: 4,
                languages: "pt,es",
                amenities: "wifi, kitchen, fan",
                accessibility: "ninth floor, lift",
                house_rules: "no smoking, quiet after 23:00",
                skills_wanted: "Django, offline-first apps",
                address: "Rua das Paineiras 871, São Paulo",
            },
            DemoOffer {
                kind: "desk",
                title: "Coworking desks",
                description:
                    "Desks in our shared office; we pair with visitors on whatever we are \
                     shipping that week.",
                capacity: 6,
                min_nights: 1,
                max_nights: 30,
                notice_days: 1,
                languages: "pt,es,en",
                amenities: "wifi, monitors, coffee, air conditioning",
                accessibility: "step-free entrance, lift",
                house_rules: "no smoking",
                skills_wanted: "Portuguese localisation, product design",
                address: "Rua das Paineiras 871, São Paulo",
            },
        ],
    },
    DemoCoop {
        slug: "ringway-repair",
        name: "Ringway Repair Co-operative",
        country: "GB",
        city: "Manchester",
        lat: 53.4808,
        lon: -2.2426,
        website: "https://ringway-repair.coop.example",
        description:
            "Repairs phones, laptops and game consoles and sells refurbished machines with a \
             two-year guarantee.",
        languages: "en",
        networks: &[("patio", "pending")],
        offers: &[DemoOffer {
            kind: "visit",
            title: "Repair café day",
            description: "Help out at our monthly repair café and see how a repair shop runs as a \
                          co-op.",
            capacity: 4,
            min_nights: 1,
            max_nights: 1,
            notice_days: 7,
            languages: "en",
            amenities: "wifi, tea and biscuits, tools provided",
            accessibility: "step-free entrance, accessible toilet",
            house_rules: "closed-toe shoes at the bench",
            skills_wanted: "micro-soldering, stock management",
            address: "Loom Mill Yard 14, Manchester",
        }],
    },
    DemoCoop {
        slug: "hinterhof-code",
        name: "Hinterhof Code eG",
        country: "DE",
        city: "Berlin",
        lat: 52.5200,
        lon: 13.4050,
        website: "https://hinterhof-code.coop.example",
        description: "Writes backend systems in Rust and Go for energy co-operatives and tenants' \
                      associations.",
        languages: "de,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "room",
                title: "Guest room in the courtyard building",
                description:
                    "A private room in the back building of our courtyard, above the office.",
                capacity: 1,
                min_nights: 1,
                max_nights: 21,
                notice_days: 5,
                languages: "de,en",
                amenities: "wifi, kitchen, washing machine, bicycle parking",
                accessibility: "third floor, no lift",
                house_rules: "no smoking, quiet after 22:00",
                skills_wanted: "Rust, energy metering, German-English translation",
                address: "Hinterhofstraße 27, Berlin",
            },
            DemoOffer {
                kind: "desk",
                title: "Desks in our Hinterhof office",
                description: "Standing and sitting desks in our ground-floor office around the \
                              courtyard.",
                capacity: 5,
                min_nights: 1,
                max_nights: 30,
                notice_days: 2,
                languages: "de,en",
                amenities: "wifi, monitors, coffee, standing desks",
                accessibility: "step-free entrance, accessible toilet",
                house_rules: "no smoking, dogs welcome",
                skills_wanted: "Rust, PostgreSQL, bookkeeping",
                address: "Hinterhofstraße 27, Berlin",
            },
        ],
    },
    DemoCoop {
        slug: "erable-numerique",
        name: "Érable Numérique, coopérative de travail",
        country: "CA",
        city: "Montréal",
        lat: 45.5019,
        lon: -73.5674,
        website: "https://erable-numerique.coop.example",
        description:
            "Builds bilingual websites for community groups and teaches digital skills to \
             newcomers.",
        languages: "fr,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "bed",
                title: "Bed in the co-op house",
                description:
                    "A single bed in a shared room of the house where four of our members \
                     live.",
                capacity: 2,
                min_nights: 1,
                max_nights: 14,
                notice_days: 5,
                languages: "fr,en",
                amenities: "wifi, kitchen, washing machine, winter clothes to borrow",
                accessibility: "outside staircase, no lift",
                house_rules: "no smoking, shoes off inside",
                skills_wanted: "WordPress, French-English translation",
                address: "Rue des Érables 3150, Montréal",
            },
            DemoOffer {
                kind: "couch",
                title: "Futon in the office lounge",
                description: "A futon in the lounge of our office, free on evenings and weekends.",
                capacity: 1,
                min_nights: 1,
                max_nights: 4,
                notice_days: 1,
                languages: "fr,en",
                amenities: "wifi, kitchenette, shower",
                accessibility: "step-free entrance",
                house_rules: "no smoking, out of the lounge by 9:00 on weekdays",
                skills_wanted: "teaching, video editing",
                address: "Rue des Érables 3150, Montréal",
            },
        ],
    },
    DemoCoop {
        slug: "foghorn-design",
        name: "Foghorn Design Cooperative",
        country: "US",
        city: "Oakland",
        lat: 37.8044,
        lon: -122.2712,
        website: "https://foghorn-design.coop.example",
        description: "Does branding, print and web design for nonprofits and tenant unions.",
        languages: "en,es",
        networks: &[("patio", "revoked")],
        offers: &[DemoOffer {
            kind: "desk",
            title: "Studio desks",
            description: "Desks in our print and design studio, next to the risograph.",
            capacity: 3,
            min_nights: 1,
            max_nights: 14,
            notice_days: 3,
            languages: "en,es",
            amenities: "wifi, monitors, risograph, coffee",
            accessibility: "step-free entrance, accessible toilet",
            house_rules: "no smoking, clean the riso after use",
            skills_wanted: "illustration, Spanish copywriting",
            address: "Foundry Lane 512, Oakland",
        }],
    },
    DemoCoop {
        slug: "mtaa-bits",
        name: "Mtaa Bits Co-operative",
        country: "KE",
        city: "Nairobi",
        lat: -1.2921,
        lon: 36.8219,
        website: "https://mtaa-bits.coop.example",
        description: "Builds SMS and mobile-money tools for savings groups and farmers' \
                      co-operatives.",
        languages: "sw,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "room",
                title: "Private room near the office",
                description: "A private room with its own bathroom in a member's house, a short \
                              matatu ride from the office.",
                capacity: 2,
                min_nights: 1,
                max_nights: 21,
                notice_days: 7,
                languages: "sw,en",
                amenities: "wifi, kitchen, water tank, mosquito net",
                accessibility: "step-free entrance, ground floor",
                house_rules: "no smoking, gate closes at 23:00",
                skills_wanted: "USSD, Kotlin, bookkeeping",
                address: "Mtaa wa Mvule 48, Nairobi",
            },
            DemoOffer {
                kind: "visit",
                title: "Day with a savings group",
                description:
                    "Come to the office and then along to a savings-group meeting that uses \
                     our tools.",
                capacity: 6,
                min_nights: 1,
                max_nights: 1,
                notice_days: 10,
                languages: "sw,en",
                amenities: "wifi, lunch included, transport included",
                accessibility: "step-free office, meeting venue varies",
                house_rules: "ask before taking photos",
                skills_wanted: "user research, financial literacy training",
                address: "Barabara ya Mvule 12, Nairobi",
            },
        ],
    },
    DemoCoop {
        slug: "masa-y-bits",
        name: "Masa y Bits S.C. de R.L.",
        country: "MX",
        city: "Oaxaca",
        lat: 17.0606,
        lon: -96.7253,
        website: "https://masa-y-bits.coop.example",
        description:
            "A bakery with a computer-repair corner that also runs coding classes for local \
             teenagers.",
        languages: "es,en",
        networks: &[("patio", "verified")],
        offers: &[
            DemoOffer {
                kind: "bed",
                title: "Bed above the bakery",
                description:
                    "A single bed in the room above the bakery; it smells of bread from four \
                     in the morning.",
                capacity: 1,
                min_nights: 1,
                max_nights: 14,
                notice_days: 3,
                languages: "es,en",
                amenities: "wifi, breakfast, fan",
                accessibility: "steep stairs, no lift",
                house_rules: "no smoking, early mornings",
                skills_wanted: "teaching, laptop repair, baking",
                address: "Callejón del Horno 9, Oaxaca",
            },
            DemoOffer {
                kind: "visit",
                title: "Bake and code day",
                description:
                    "Knead bread with us in the morning and help with the coding class in the \
                     afternoon.",
                capacity: 4,
                min_nights: 1,
                max_nights: 1,
                notice_days: 5,
                languages: "es,en",
                amenities: "wifi, breakfast and lunch included",
                accessibility: "step-free entrance to the bakery",
                house_rules: "hair tied back in the bakery",
                skills_wanted: "Python teaching, Scratch",
                address: "Callejón del Horno 9, Oaxaca",
            },
        ],
    },
];
