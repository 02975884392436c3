/**
 * Questions about code in general, about no particular code base, that complete the null of unrelatedQuestions.ts
 * (core/retrieval): a question about code in general shares a workspace's language or domain without being about the
 * workspace, so these are matched against the workspace's code too, and a question about code in general is not taken
 * for one about the open workspace merely because it shares the workspace's language or domain.
 * Written for this project, none about a particular code base, covering (200 in all):
 * - general programming in each of the languages SMCS indexes: language features, standard library, idioms, data
 *   structures, sorting, grouping and merging collections, dates and times, strings, iterators and generators, error
 *   handling, async and threads, generics, traits and interfaces, memory, packaging (130): Python (13),
 *   JavaScript (13), TypeScript (13), Go (13), Rust (13), Java and Kotlin (13), C (13), C++ (13), Ruby (11),
 *   PHP (11), C# (4);
 * - general questions near the domains code bases have (70): HTTP methods, status codes, headers and caching;
 *   cookies, CORS, sessions, tokens and OAuth; API design, WebSockets and server-sent events, routing, middleware and
 *   templates as concepts; JSON, YAML and TOML syntax and edge cases; SQL, indexes, transactions and ORMs; command-line
 *   conventions, logging, testing, CI and semantic versioning; regular expressions, character encodings, rate limiting,
 *   reverse proxies and TLS. None names a framework's or library's API.
 * Wording varies on purpose: terse lowercase one-liners, careful longer questions, "what's the difference between",
 * "how do I", "why does"; 20 bring a short generic snippet in a fenced block.
 */
export const GENERAL_QUESTIONS: readonly string[] = [
  // General programming: Python (13).
  'sort list of dicts by a key python, and by two keys with one of them descending',
  'What\'s the difference between a shallow copy and a deep copy in Python, and when does copy.copy bite you with nested lists?',
  'how do i parse an ISO 8601 timestamp with a timezone offset in python and convert it to UTC',
  'Why would I use a dataclass instead of a NamedTuple or a plain dict for a small record type?',
  `Why does the second sum print 0? I thought a generator was just a lazy list.

\`\`\`python
squares = (x * x for x in range(5))
print(sum(squares))
print(sum(squares))
\`\`\``,
  'group a list of tuples by the first element in python without pandas',
  'When should I define my own exception class in Python, and should it inherit from Exception or from something more specific like ValueError?',
  'What exactly is the GIL, and does it mean multiprocessing is always faster than threading for CPU-heavy work?',
  'pyproject.toml vs setup.py vs requirements.txt — which one do I actually need for a small library I want to publish?',
  `What's the difference between \`is\` and \`==\` here, and when is \`is\` the right one to use?

\`\`\`python
a = [1, 2, 3]
b = [1, 2, 3]
print(a == b, a is b)  # True False
\`\`\``,
  'How do context managers work under the hood? I want to write my own helper for the with statement that times a block of code.',
  'merge two sorted lists into one sorted list in python, is heapq.merge better than just sorted(a + b)',
  'How does typing.Protocol differ from an abstract base class for describing what an object must support?',

  // General programming: JavaScript (13).
  'sort array of objects by date js',
  'What is the difference between == and === in JavaScript, and is there ever a good reason to use ==?',
  `why is doubled full of undefined? i return n * 2

\`\`\`js
const doubled = [1, 2, 3].map(n => { n * 2 });
console.log(doubled); // [undefined, undefined, undefined]
\`\`\``,
  'how to group an array of objects by a property in javascript, is there a built in for that now',
  'Why does new Date("2024-03-10") show March 9 in some time zones while new Date(2024, 2, 10) doesn\'t?',
  'Promise.all vs Promise.allSettled vs Promise.race — when would I use each one?',
  'How do closures work in JavaScript, and why are they useful for keeping state private?',
  'What does `this` refer to inside an arrow function compared with a regular function, and why does it get lost when I pass a method as a callback?',
  'deep clone an object in js, is structuredClone ok or should i still use JSON.parse(JSON.stringify(obj))',
  `Why does sort put the numbers in this weird order?

\`\`\`js
const a = [10, 1, 5, 100];
a.sort();
console.log(a); // [1, 10, 100, 5]
\`\`\``,
  'How do async iterators and for await...of work, and when is an async generator function the better tool than an array of promises?',
  'CommonJS require vs ES module import: why can\'t I just mix them in the same file?',
  'remove duplicates from an array of objects by id javascript',

  // General programming: TypeScript (13).
  'What is the difference between an interface and a type alias in TypeScript, and which should I use by default?',
  'ts generic function that takes an object and one of its keys and returns the type of that property',
  'How do discriminated unions work, and how do I get the compiler to tell me when a switch doesn\'t handle every case?',
  `Why does TypeScript widen config.mode to string here, and how do I keep the literal type?

\`\`\`ts
const config = { mode: 'dark', size: 12 };
function setMode(m: 'dark' | 'light') {}
setMode(config.mode); // Argument of type 'string' is not assignable
\`\`\``,
  'unknown vs any in typescript, when to use which',
  'What do Partial, Pick, Omit and Record actually do? Could you show how Partial would be written by hand as a mapped type?',
  'Is there a way to make TypeScript check that an object has exactly one entry for each member of a union of string literals, no more and no less?',
  'how do conditional types with infer work, e.g. getting the resolved type out of a Promise',
  'What does strictNullChecks change, and is it worth turning on in a large existing project that suddenly shows hundreds of errors?',
  `calling this in an if doesn't narrow x to string afterwards. what's a type predicate and would it fix that?

\`\`\`ts
function isString(x: unknown): boolean {
  return typeof x === 'string';
}
\`\`\``,
  'Why does TypeScript accept extra properties when I pass a variable but complain about them when I pass an object literal directly?',
  'declaration files (.d.ts) — when do I need to write one myself, and what goes in it?',
  'What\'s the difference between `as const`, `satisfies` and a plain type annotation on a constant object?',

  // General programming: Go (13).
  'What\'s the difference between a nil slice and an empty slice in Go, and does it matter when encoding to JSON?',
  'go sort slice of structs by field',
  `Why did appending to t change s? I thought slicing made a copy.

\`\`\`go
s := []int{1, 2, 3}
t := s[:2]
t = append(t, 99)
fmt.Println(s) // [1 2 99]
\`\`\``,
  'How should I wrap errors in Go so that callers can still check for a specific error with errors.Is and errors.As?',
  'When is a buffered channel better than an unbuffered one, and how do I pick the buffer size?',
  'how to cancel a bunch of goroutines when one of them fails',
  'Pointer receiver or value receiver for methods in Go? Is there a rule of thumb?',
  'How do generics with type constraints work in Go 1.18+? For example a Map function over slices of any element type.',
  'go time.Parse layout string, why 2006-01-02 and not YYYY-MM-DD',
  'What does it mean that interfaces are satisfied implicitly in Go, and how can I make sure at compile time that a type implements one?',
  `When does the default branch run here, and does it turn into a busy loop if I put the select inside a for?

\`\`\`go
select {
case msg := <-ch:
    fmt.Println(msg)
default:
    fmt.Println("no message")
}
\`\`\``,
  'go modules: what do go.sum and the // indirect comments in go.mod mean, and should go.sum be committed?',
  'defer inside a loop in go, why do people say it can leak file handles',

  // General programming: Rust (13).
  'String vs &str in Rust: which should a function take as a parameter, and which should it return?',
  'rust sort vec of structs by an f64 field, the compiler says f64 lacks the Ord trait',
  `Why does this need a lifetime annotation, and what does 'a actually mean?

\`\`\`rust
fn longest(a: &str, b: &str) -> &str {
    if a.len() > b.len() { a } else { b }
}
\`\`\``,
  'How does the ? operator convert one error type into another, and when is a custom error enum better than Box<dyn Error>?',
  'Rc<RefCell<T>> vs Arc<Mutex<T>>, when do i need which',
  'What is the difference between iter(), iter_mut() and into_iter() on a Vec?',
  'How do I implement the Iterator trait for my own struct so that it works in a for loop and with map and filter?',
  'Why can\'t I move out of a borrowed value inside a match, and when do I need ref, as_ref() or .clone()?',
  'group items by key in rust into a HashMap<K, Vec<V>> using the entry api',
  'What is the difference between Copy and Clone, and why can\'t a struct that holds a String derive Copy?',
  'async in Rust: why does an async fn do nothing until it is awaited, and why do I need a runtime at all?',
  `The compiler says the closure may outlive the current function. What does adding move change?

\`\`\`rust
let v = vec![1, 2, 3];
let h = std::thread::spawn(|| println!("{:?}", v));
h.join().unwrap();
\`\`\``,
  'Cargo features: how do optional dependencies work, and what is the difference between a workspace and a single crate with several binaries?',

  // General programming: Java and Kotlin (13).
  'What\'s the difference between ArrayList and LinkedList in Java, and is LinkedList ever actually faster?',
  'java stream group by field and count',
  'How should Optional be used in Java? Is it fine as a field or a method parameter, or only as a return type?',
  `Why is the first comparison true and the second false?

\`\`\`java
Integer a = 127, b = 127;
Integer c = 128, d = 128;
System.out.println(a == b); // true
System.out.println(c == d); // false
\`\`\``,
  'checked vs unchecked exceptions in java, why does the compiler force me to handle IOException but not NullPointerException',
  'LocalDateTime vs ZonedDateTime vs Instant — which one should I store, and which one should I show to users?',
  'What do equals and hashCode have to do with each other, and what breaks if I override only one of them?',
  'What is type erasure in Java generics, and why can\'t I write new T[] or check instanceof List<String>?',
  'synchronized vs ReentrantLock vs AtomicInteger for a counter shared between threads',
  'Are virtual threads in Java 21 a replacement for thread pools, or do I still need an ExecutorService?',
  'maven or gradle for a new java project, which is less pain',
  'what do you get for free with a data class in Kotlin, and are there cases where you shouldn\'t use one',
  `kotlin won't compile this. what are ?. and ?: and !! and which one should i use?

\`\`\`kotlin
val name: String? = readLine()
println(name.length)
\`\`\``,

  // General programming: C (13).
  'What is the difference between malloc and calloc, and do I need to cast the result of malloc in C?',
  'qsort an array of structs by a string field in c',
  `Why does this segfault, when char s[] = "hello" works fine?

\`\`\`c
char *s = "hello";
s[0] = 'H';
\`\`\``,
  'What is undefined behaviour in C, and why is the compiler allowed to remove my check for signed integer overflow?',
  'how do i read a whole line from stdin in c safely, fgets vs getline vs scanf',
  'Why is strncpy considered dangerous even though it takes a length? What should I use instead?',
  'What does the static keyword mean on a global variable, on a function and on a local variable in C?',
  'header guards vs #pragma once',
  `why are these two sizes different if arrays are just pointers?

\`\`\`c
int arr[10];
int *p = arr;
printf("%zu %zu\\n", sizeof arr, sizeof p);
\`\`\``,
  'How do I protect a shared counter with pthreads and a mutex, and what happens if I forget to join the threads before main returns?',
  'What is struct padding, and how can reordering the fields make a struct smaller?',
  'volatile in c, does it make a variable thread safe?',
  'How do I get the current time with milliseconds in C and format it as a date string?',

  // General programming: C++ (13).
  'What\'s the difference between std::unique_ptr and std::shared_ptr, and when is a raw pointer still fine?',
  'std::sort with a lambda comparator on a vector of structs c++',
  'What are move semantics and rvalue references, and when does std::move actually move anything?',
  `why does this crash sometimes? i only erase one element

\`\`\`cpp
std::vector<int> v = {1, 2, 3};
for (auto it = v.begin(); it != v.end(); ++it) {
    if (*it == 2) v.erase(it);
}
\`\`\``,
  'rule of three / five / zero in c++ explained simply',
  'What is RAII, and how does it make code exception-safe without a finally block?',
  'Concepts in C++20: what do they add over plain templates and SFINAE?',
  'std::string_view — when is it dangerous to keep one around?',
  'How do I split a std::string by a delimiter? Is there really no split function in the standard library?',
  'std::thread vs std::async, and what happens if a std::thread object is destroyed without join or detach?',
  `Why is deleting through the base pointer a problem here, and how does a virtual destructor fix it?

\`\`\`cpp
struct Base { virtual void f() {} };
struct Derived : Base { ~Derived() { /* free resources */ } };
Base *b = new Derived;
delete b;
\`\`\``,
  'what is the difference between const int*, int* const and const int* const',
  'CMake for beginners: how do I add a library target and link it to an executable, and what do PUBLIC and PRIVATE mean?',

  // General programming: Ruby (11).
  'What\'s the difference between a block, a proc and a lambda in Ruby?',
  'ruby sort array of hashes by a value descending',
  'symbols vs strings as hash keys in ruby, why does it matter',
  `What does grouped look like after this, and how would I get a count per letter instead?

\`\`\`ruby
words = %w[apple avocado banana blueberry cherry]
grouped = words.group_by { |w| w[0] }
\`\`\``,
  'How do modules and mixins work in Ruby, and what\'s the difference between include, extend and prepend?',
  `what does ||= actually do here, and is there a case where it runs the lookup every time?

\`\`\`ruby
@cache ||= {}
@cache[key] ||= expensive_lookup(key)
\`\`\``,
  'rescue vs ensure vs retry in ruby, how does the flow go when an exception is raised',
  'How do Enumerator and lazy enumeration work in Ruby, for example taking the first 5 primes from an infinite sequence?',
  'Why are strings mutable in Ruby, and what does the frozen_string_literal magic comment change?',
  'Gemfile vs gemspec, and should Gemfile.lock be checked in for a gem or only for an application',
  'How do I parse a date string like "03/04/2024" in Ruby when I know the day comes first, and get the number of days between two dates?',

  // General programming: PHP (11).
  'What\'s the difference between == and === in PHP, and why did the result of 0 == "abc" change in PHP 8?',
  'php sort associative array by value and keep the keys',
  `Why does the last element change to 2?

\`\`\`php
$arr = [1, 2, 3];
foreach ($arr as &$v) {}
foreach ($arr as $v) {}
print_r($arr); // 1, 2, 2
\`\`\``,
  'How does Composer autoloading with PSR-4 work, and why do I sometimes have to run dump-autoload?',
  'isset vs empty vs is_null in php',
  'How do I handle dates and time zones in PHP properly — DateTime vs DateTimeImmutable, and why does modify() surprise people?',
  'What are traits in PHP, and how are they different from interfaces and abstract classes?',
  'php Exception vs Error, what is Throwable and should i ever catch Error',
  'How do readonly properties and enums from PHP 8.1 change the way you write value objects?',
  'array_map vs foreach in php, is one faster',
  'What are generators in PHP (yield), and how can they help me process a huge file without running out of memory?',

  // General programming: C# (4).
  'What\'s the difference between a struct and a class in C#, and when is a struct the right choice?',
  'c# async await deadlock when calling .Result on a task, why',
  `Is this the idiomatic LINQ way to count by a property, and does it go through the list more than once?

\`\`\`csharp
var byCity = people
    .GroupBy(p => p.City)
    .ToDictionary(g => g.Key, g => g.Count());
\`\`\``,
  'What are nullable reference types in C# 8, and does turning them on change anything at runtime?',

  // Near-domain: HTTP: methods, status codes, headers, caching (12).
  'What is the difference between PUT and PATCH, and is it wrong to use POST for updates?',
  'Which HTTP methods are supposed to be idempotent, and why does that matter when a client retries a request?',
  '401 vs 403, which status code should an api return when the user is logged in but not allowed to do the thing',
  'Should an API return 404, 204 or 200 with an empty array when a search finds nothing?',
  'What does 422 Unprocessable Entity mean, and how is it different from 400 Bad Request?',
  'how do 301, 302, 307 and 308 redirects differ, and which ones keep the request method and body',
  'What does the Content-Type header mean on a request versus on a response, and what happens when a server ignores it?',
  'What is the Accept header for, and how does content negotiation decide between sending JSON and HTML?',
  'Is it okay to send a body with a GET request? Some clients and proxies seem to drop it.',
  'How does an ETag work together with If-None-Match, and when does the server answer 304 Not Modified?',
  'Cache-Control no-cache vs no-store vs max-age=0 — what does each one really tell the browser?',
  'What is the Vary header, and why can forgetting it make a CDN serve the wrong response to some users?',

  // Near-domain: Cookies, CORS, sessions, tokens and OAuth (10).
  'What do the SameSite values Strict, Lax and None do, and why does None require Secure?',
  'What does the HttpOnly flag on a cookie protect against, and what does it not protect against?',
  'how do the Domain and Path attributes of a cookie work, can a subdomain read cookies set by the parent domain',
  'What makes a browser send a CORS preflight OPTIONS request, and which requests count as "simple"?',
  'Why can\'t a server answer Access-Control-Allow-Origin: * when the request includes credentials?',
  'If a JWT is stateless, how do you log a user out or revoke a token before it expires?',
  'What is the OAuth 2.0 authorization code flow with PKCE, and why is the implicit flow discouraged now?',
  'access token vs refresh token vs id token, what is each one for',
  'Where should a browser app keep an access token: localStorage, sessionStorage, memory or a cookie?',
  'What is CSRF, and do I still need CSRF tokens if my session cookie is SameSite=Lax?',

  // Near-domain: API design, real-time, routing, middleware and templates (12).
  'REST API pagination: offset and limit or cursor-based, and what goes wrong with offsets when rows are added while the client is paging?',
  'Should REST resource URLs use plural nouns, and how should nested resources like a user\'s orders be named?',
  'how should an api be versioned, in the url path, in a header or in the media type',
  'What problems does GraphQL solve compared with REST, and what is the N+1 problem it can cause on the server?',
  'When should an API answer 202 Accepted and let the client poll for the result of a long-running job?',
  'WebSockets vs Server-Sent Events vs long polling — how do I choose for live notifications?',
  'How does the WebSocket handshake work, and why does it start as an ordinary HTTP request with an Upgrade header?',
  'server-sent events reconnecting, what do Last-Event-ID and the retry field do',
  'What is middleware in a web server, conceptually, and why does the order in which it runs matter?',
  'How do URL routers usually match paths with parameters and wildcards, and what happens when two routes overlap?',
  'What is the difference between rendering HTML on the server with templates and rendering it in the browser, and what does hydration mean?',
  'Logic-less templates vs templates that allow arbitrary code: what are the trade-offs, and how does template inheritance with layouts and blocks work?',

  // Near-domain: JSON, YAML and TOML (8).
  'Does JSON allow comments? If not, why do so many JSON config files have them?',
  'What happens to a 64-bit integer ID like 9007199254740993 when it goes through JSON, and how should APIs send big numbers?',
  'What does the JSON spec say about duplicate keys — is {"a": 1, "a": 2} valid, and which value wins?',
  'how are emoji escaped in json strings, why does 😀 turn into \\uD83D\\uDE00',
  'The Norway problem in YAML: why does the country code NO turn into false, and which YAML version fixed it?',
  'yaml anchors and aliases, what do & and * and <<: do',
  'What are the different ways to write a multi-line string in YAML, and what do |, > and a trailing - or + mean?',
  'TOML vs YAML vs JSON for config files — how does TOML handle dates, tables and arrays of tables?',

  // Near-domain: SQL, indexes, transactions and ORMs (9).
  'What are the four transaction isolation levels, and which anomalies (dirty read, non-repeatable read, phantom read) does each one prevent?',
  'how does a composite index work, does the column order matter for a query that filters on the second column only',
  'What is the difference between WHERE and HAVING, and can I use a column alias from the SELECT list in either?',
  'sql get the latest row per group, e.g. each customer\'s most recent order',
  'What is the N+1 query problem with ORMs, and how do eager loading and joins fix it?',
  'Are ORMs worth it, or is writing SQL by hand better for anything beyond simple CRUD?',
  'optimistic vs pessimistic locking, when to use a version column and when SELECT ... FOR UPDATE',
  'How do parameterized queries prevent SQL injection, and why can\'t a table name be passed as a parameter?',
  'What does a schema migration tool actually do, and how do teams run migrations that must not lock a big table for minutes?',

  // Near-domain: Command lines, logging, testing, CI and versioning (10).
  'What are the usual conventions for command-line options — single dash vs double dash, bundling like -abc, and what does a bare -- mean?',
  'Which exit codes should a command-line tool return, and should error messages go to stderr even when the normal output is JSON?',
  'when a cli has flags, environment variables and a config file, which should win if they disagree',
  'What is the difference between the log levels DEBUG, INFO, WARN and ERROR in practice, and what belongs at each level?',
  'Why is structured logging (one JSON object per line, with fields) recommended over plain text log messages?',
  'mock vs stub vs fake vs spy, what is the difference',
  'Should unit tests hit a real database, or is mocking the data layer good enough?',
  'What makes a test flaky, and what are common ways to fix tests that depend on the clock or on randomness?',
  'In semantic versioning, what does the range ^1.2.3 allow compared with ~1.2.3, and what is special about 0.x versions?',
  'What should a CI pipeline run on every pull request, and how do you keep it fast as the test suite grows?',

  // Near-domain: Regex, character encodings, rate limiting, proxies and TLS (9).
  'Greedy vs lazy quantifiers: why does the regex <.*> match the whole line instead of a single tag?',
  'What is catastrophic backtracking in regular expressions, and how can a pattern like (a+)+$ freeze a server?',
  'UTF-8 vs UTF-16 vs Latin-1: why do I see Ã© instead of é, and how can I tell which encoding a file uses?',
  'what is a BOM and why does it break the first column name of my csv',
  'Token bucket vs sliding window rate limiting — how do they differ, and what should an API send back along with a 429?',
  'What is X-Forwarded-For, and why shouldn\'t an app trust it unless it sits behind a reverse proxy it knows?',
  'What does a reverse proxy do that a forward proxy doesn\'t, and why put one in front of an app server at all?',
  'What happens during a TLS handshake, in simple terms, and what does the certificate chain prove?',
  'what is HSTS, and what happens if i set a long max-age and then my certificate breaks',
];
