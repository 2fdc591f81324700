export const Params = {
    GITHUB_REPO: "example-org/example-repo",
    BRANCH_NAME: "main",
    GITHUB_TOKEN: "github-token",
    AWS_REGION: "eu-west-1",
    DEV_ACCOUNT_ID: "111111111111",
    STAGING_ACCOUNT_ID: "222222222222",
    PROD_ACCOUNT_ID: "333333333333"
} as const