// clerk-lint-ignore CLK501 -- the key moved to the environment
export const secretKey = process.env.CLERK_SECRET_KEY
