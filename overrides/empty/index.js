// Loading this means something now needs a package that package.json's "overrides" replace with
// this empty one (decap-cms's dependencies): remove that name from "overrides" and run npm install.
throw new Error(
  'overrides/empty: this package is not installed (package.json "overrides" replace decap-cms\'s dependencies with it; remove the name there if code now needs it)',
);
